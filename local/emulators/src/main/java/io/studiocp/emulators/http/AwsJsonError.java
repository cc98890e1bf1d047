package io.studiocp.emulators.http;

/**
 * An error answer of the AWS JSON protocol: the SDK turns {@code type} into the modelled
 * exception (for example {@code ResourceNotFound} into {@code ResourceNotFoundException}).
 */
public final class AwsJsonError extends RuntimeException {

  private final String type;
  private final int status;

  public AwsJsonError(String type, String message) {
    this(type, message, 400);
  }

  public AwsJsonError(String type, String message, int status) {
    super(message);
    this.type = type;
    this.status = status;
  }

  public String type() {
    return type;
  }

  public int status() {
    return status;
  }
}
