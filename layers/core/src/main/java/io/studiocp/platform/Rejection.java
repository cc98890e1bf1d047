package io.studiocp.platform;

/**
 * A problem the caller can fix, refused before anything changed. Its {@link Kind} says what sort
 * of refusal it is (the API answers each kind with its own 4xx status); its code names the
 * problem for programs (such as {@code HostLimitExceeded}); its message says what to change, in
 * one sentence that never carries internals.
 */
public final class Rejection extends RuntimeException {

  /** What sort of refusal. */
  public enum Kind {
    /** The request itself is wrong: a field, a header, a value out of bounds. */
    INVALID,
    /** The caller may not do this. */
    FORBIDDEN,
    /** No such thing, or not one the caller may see (the two look the same). */
    NOT_FOUND,
    /** It clashes with what exists: a limit reached, a key reused, a state that does not allow it. */
    CONFLICT
  }

  private final Kind kind;
  private final String code;

  public Rejection(Kind kind, String code, String message) {
    super(message);
    this.kind = kind;
    this.code = code;
  }

  /** A field (or header, or parameter) with a wrong value; the message starts with its name. */
  public static Rejection invalid(String field, String message) {
    return new Rejection(Kind.INVALID, "ValidationError", field + ": " + message);
  }

  public static Rejection forbidden(String message) {
    return new Rejection(Kind.FORBIDDEN, "Forbidden", message);
  }

  public static Rejection notFound(String message) {
    return new Rejection(Kind.NOT_FOUND, "NotFound", message);
  }

  public static Rejection conflict(String code, String message) {
    return new Rejection(Kind.CONFLICT, code, message);
  }

  public Kind kind() {
    return kind;
  }

  public String code() {
    return code;
  }
}
