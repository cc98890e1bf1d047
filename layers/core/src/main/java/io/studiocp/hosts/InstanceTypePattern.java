package io.studiocp.hosts;

import java.util.regex.Pattern;

/** An allowed instance type, possibly with {@code *} wildcards: {@code m5.*}, {@code g5.xlarge}. */
public record InstanceTypePattern(String text, Pattern regex) {

  private static final Pattern SYNTAX = Pattern.compile("[a-z0-9*][a-z0-9*-]*\\.[a-z0-9*]+|\\*");

  public static InstanceTypePattern parse(String text) {
    if (!SYNTAX.matcher(text).matches()) {
      throw new IllegalArgumentException("'" + text + "' is not an instance type pattern such as "
          + "m5.* or g5.xlarge");
    }
    String regex = Pattern.quote(text).replace("*", "\\E[a-z0-9-]*\\Q");
    return new InstanceTypePattern(text, Pattern.compile(regex));
  }

  public boolean matches(String instanceType) {
    return regex.matcher(instanceType).matches();
  }

  @Override
  public String toString() {
    return text;
  }
}
