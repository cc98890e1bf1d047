package io.studiocp.police;

import java.util.List;

/** A message, in plain text and HTML. */
public record Email(List<String> to, String subject, String text, String html) {

  public Email {
    to = List.copyOf(to);
  }
}
