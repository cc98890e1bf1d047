package io.studiocp.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A list of principal ARNs (admins, or those allowed to act as a user profile). */
public final class PrincipalList {

  private final List<CallerPrincipal> principals;

  private PrincipalList(List<CallerPrincipal> principals) {
    this.principals = List.copyOf(principals);
  }

  /**
   * Parses ARNs separated by commas or whitespace.
   *
   * @throws IllegalArgumentException naming the first entry that is not an IAM user, role or
   *     assumed-role ARN
   */
  public static PrincipalList parse(String text) {
    List<CallerPrincipal> principals = new ArrayList<>();
    if (text != null) {
      for (String entry : text.split("[,\\s]+")) {
        if (entry.isBlank()) {
          continue;
        }
        Optional<CallerPrincipal> principal = CallerPrincipal.parse(entry);
        if (principal.isEmpty()) {
          throw new IllegalArgumentException("'" + entry + "' is not an IAM user, role or "
              + "assumed-role ARN");
        }
        principals.add(principal.get());
      }
    }
    return new PrincipalList(principals);
  }

  public static PrincipalList of(List<CallerPrincipal> principals) {
    return new PrincipalList(principals);
  }

  public boolean contains(CallerPrincipal caller) {
    return principals.stream().anyMatch(caller::matches);
  }

  public boolean isEmpty() {
    return principals.isEmpty();
  }
}
