package io.studiocp.platform;

/**
 * An AWS operation a product class calls through a lean client ({@link AwsJsonClient},
 * {@link AwsQueryClient}), as a constant of an enum implementing this: the constant's name is the
 * operation's, and the enum's {@code IAM_PREFIX} constant names the service's IAM prefix. So the
 * operations stay legible in the bytecode, where the deployment tests read what each function
 * calls to check its role (LeastPrivilegeTest).
 */
public interface AwsOperation {
  String name();
}
