package io.studiocp.emulators.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Pagination as AWS does it: at most {@code max} items, and an opaque token for the next page
 * while there are more. A token that this pager did not hand out is the service's own error.
 */
public final class Pages {

  /** One page, and the token for the next one (null on the last page). */
  public record Page<T>(List<T> items, String nextToken) {}

  private static final String PREFIX = "stand-in-page:";

  private Pages() {}

  /**
   * @param token the request's token, or null for the first page
   * @param max the request's page size, or null for {@code defaultMax}
   * @param badToken the error type the service answers for a token it does not know
   */
  public static <T> Page<T> of(List<T> all, String token, Integer max, int defaultMax, String badToken) {
    int start = token == null ? 0 : offset(token, all.size(), badToken);
    int end = Math.min(all.size(), start + (max == null ? defaultMax : max));
    String next = end < all.size()
        ? Base64.getUrlEncoder().encodeToString((PREFIX + end).getBytes(StandardCharsets.UTF_8))
        : null;
    return new Page<>(all.subList(start, end), next);
  }

  private static int offset(String token, int size, String badToken) {
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (decoded.startsWith(PREFIX)) {
        int offset = Integer.parseInt(decoded.substring(PREFIX.length()));
        if (offset >= 0 && offset <= size) {
          return offset;
        }
      }
    } catch (IllegalArgumentException e) {
      // not one of ours: answered below
    }
    throw new AwsJsonError(badToken, "The pagination token is not valid: " + token);
  }
}
