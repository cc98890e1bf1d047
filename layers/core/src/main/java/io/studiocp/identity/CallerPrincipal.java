package io.studiocp.identity;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The IAM principal that signed a request, parsed from its ARN. A role assumed by SageMaker for a
 * Studio app appears as {@code arn:aws:sts::<account>:assumed-role/<role>/<session>}.
 */
public record CallerPrincipal(String arn, String partition, String accountId, Kind kind, String name,
    Optional<String> sessionName) {

  public enum Kind { USER, ROLE, ASSUMED_ROLE, ROOT }

  private static final Pattern IAM = Pattern.compile(
      "arn:(aws[a-z-]*):iam::(\\d{12}):(user|role)/(?:[\\w+=,.@-]+/)*([\\w+=,.@-]+)");
  private static final Pattern ROOT = Pattern.compile("arn:(aws[a-z-]*):iam::(\\d{12}):root");
  private static final Pattern ASSUMED = Pattern.compile(
      "arn:(aws[a-z-]*):sts::(\\d{12}):assumed-role/([\\w+=,.@-]+)/([\\w+=,.@-]+)");

  public static Optional<CallerPrincipal> parse(String arn) {
    if (arn == null) {
      return Optional.empty();
    }
    Matcher m = ASSUMED.matcher(arn);
    if (m.matches()) {
      return Optional.of(new CallerPrincipal(arn, m.group(1), m.group(2), Kind.ASSUMED_ROLE,
          m.group(3), Optional.of(m.group(4))));
    }
    m = IAM.matcher(arn);
    if (m.matches()) {
      return Optional.of(new CallerPrincipal(arn, m.group(1), m.group(2),
          m.group(3).equals("user") ? Kind.USER : Kind.ROLE, m.group(4), Optional.empty()));
    }
    m = ROOT.matcher(arn);
    if (m.matches()) {
      return Optional.of(new CallerPrincipal(arn, m.group(1), m.group(2), Kind.ROOT, "root",
          Optional.empty()));
    }
    return Optional.empty();
  }

  public boolean isRole() {
    return kind == Kind.ROLE || kind == Kind.ASSUMED_ROLE;
  }

  /**
   * Whether this caller is what {@code pattern} names: a role ARN names every session of the role,
   * an assumed-role ARN one session, a user ARN that user.
   */
  public boolean matches(CallerPrincipal pattern) {
    if (!partition.equals(pattern.partition) || !accountId.equals(pattern.accountId)) {
      return false;
    }
    return switch (pattern.kind) {
      case ROLE -> isRole() && name.equals(pattern.name);
      case ASSUMED_ROLE -> kind == Kind.ASSUMED_ROLE && name.equals(pattern.name)
          && sessionName.equals(pattern.sessionName);
      case USER -> kind == Kind.USER && name.equals(pattern.name);
      case ROOT -> kind == Kind.ROOT;
    };
  }
}
