package io.studiocp.sandbox;

import io.studiocp.platform.Digests;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks AWS Signature Version 4 on an API request the way API Gateway's IAM authorization does:
 * the same canonical request, string to sign and key derivation, with the key pairs of the seed
 * standing in for IAM. A missing, malformed, stale or wrong signature is refused.
 */
final class SigV4Verifier {

  /** What the verifier needs of a request. Header names are lower case. */
  record Request(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {}

  sealed interface Result permits Verified, Rejected {}

  record Verified(SandboxSeed.Credential credential) implements Result {}

  /** {@code type} is the error type API Gateway names in x-amzn-ErrorType. */
  record Rejected(String type, String message) implements Result {

    /** The gateway response type API Gateway answers such a refusal with. */
    String responseType() {
      return type.equals("MissingAuthenticationTokenException") ? "MISSING_AUTHENTICATION_TOKEN" : "INVALID_SIGNATURE";
    }
  }

  private static final Pattern AUTHORIZATION = Pattern.compile(
      "AWS4-HMAC-SHA256\\s+Credential=([^,\\s]+)\\s*,\\s*SignedHeaders=([^,\\s]+)\\s*,\\s*Signature=([0-9a-f]{64})\\s*");
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
  private static final Duration MAX_SKEW = Duration.ofMinutes(5);

  private final Map<String, SandboxSeed.Credential> keys;
  private final String region;
  private final String service;
  private final Clock clock;

  SigV4Verifier(Map<String, SandboxSeed.Credential> keys, String region, String service, Clock clock) {
    this.keys = Map.copyOf(keys);
    this.region = region;
    this.service = service;
    this.clock = clock;
  }

  Result verify(Request request) {
    String authorization = first(request, "authorization");
    if (authorization == null) {
      return new Rejected("MissingAuthenticationTokenException", "Missing Authentication Token");
    }
    Matcher m = AUTHORIZATION.matcher(authorization);
    if (!m.matches()) {
      return new Rejected("IncompleteSignatureException", "Authorization header requires 'Credential', "
          + "'Signature' and 'SignedHeaders' with algorithm AWS4-HMAC-SHA256");
    }
    String[] scope = m.group(1).split("/");
    if (scope.length != 5 || !"aws4_request".equals(scope[4])) {
      return new Rejected("IncompleteSignatureException", "Credential should be scoped to a valid region, service and aws4_request");
    }
    SandboxSeed.Credential credential = keys.get(scope[0]);
    if (credential == null) {
      return new Rejected("UnrecognizedClientException", "The security token included in the request is invalid.");
    }
    if (!region.equals(scope[2]) || !service.equals(scope[3])) {
      return new Rejected("InvalidSignatureException", "Credential should be scoped to correct service and region: '"
          + region + "/" + service + "'");
    }
    String amzDate = first(request, "x-amz-date");
    Instant signedAt;
    try {
      signedAt = LocalDateTime.parse(amzDate == null ? "" : amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return new Rejected("IncompleteSignatureException", "X-Amz-Date is missing or malformed");
    }
    if (Duration.between(signedAt, clock.instant()).abs().compareTo(MAX_SKEW) > 0) {
      return new Rejected("InvalidSignatureException", "Signature expired: " + amzDate + " is not within 5 minutes of now");
    }
    if (!amzDate.startsWith(scope[1])) {
      return new Rejected("InvalidSignatureException", "Credential date does not match X-Amz-Date");
    }
    List<String> signedHeaders = Arrays.asList(m.group(2).split(";"));
    if (!signedHeaders.contains("host") || !signedHeaders.contains("x-amz-date")) {
      return new Rejected("IncompleteSignatureException", "SignedHeaders must include host and x-amz-date");
    }
    // The body is hashed as it arrived: a declared X-Amz-Content-SHA256 must be its hash, and the
    // signature covers the received body, so a body swapped after signing is refused either way.
    String payloadHash = sha256Hex(request.body());
    String declaredHash = first(request, "x-amz-content-sha256");
    if (declaredHash != null && !declaredHash.isBlank() && !declaredHash.strip().equalsIgnoreCase(payloadHash)) {
      return new Rejected("InvalidSignatureException", "The request body does not match its X-Amz-Content-SHA256 "
          + "header; sign the body that is sent");
    }
    String canonicalRequest = String.join("\n", request.method(), canonicalUri(request.rawPath()),
        canonicalQuery(request.rawQuery()), canonicalHeaders(request, signedHeaders), m.group(2), payloadHash);
    String credentialScope = String.join("/", scope[1], scope[2], scope[3], scope[4]);
    String stringToSign = String.join("\n", "AWS4-HMAC-SHA256", amzDate, credentialScope, Digests.sha256Hex(canonicalRequest));
    byte[] key = hmac(("AWS4" + credential.secretAccessKey()).getBytes(StandardCharsets.UTF_8), scope[1]);
    key = hmac(key, scope[2]);
    key = hmac(key, scope[3]);
    key = hmac(key, "aws4_request");
    byte[] expected = HexFormat.of().formatHex(hmac(key, stringToSign)).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, m.group(3).getBytes(StandardCharsets.US_ASCII))) {
      return new Rejected("InvalidSignatureException", "The request signature we calculated does not match the "
          + "signature you provided. Check your AWS Secret Access Key and signing method.");
    }
    return new Verified(credential);
  }

  private static String first(Request request, String header) {
    List<String> values = request.headers().get(header);
    return values == null || values.isEmpty() ? null : values.getFirst();
  }

  /** Every path segment URI-encoded (again, as for every service but S3). */
  static String canonicalUri(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
    }
    return encode(rawPath, false);
  }

  static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<String[]> pairs = new ArrayList<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      pairs.add(new String[] {encode(name, true), encode(value, true)});
    }
    pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    List<String> joined = new ArrayList<>();
    pairs.forEach(p -> joined.add(p[0] + "=" + p[1]));
    return String.join("&", joined);
  }

  private static String canonicalHeaders(Request request, List<String> signed) {
    StringBuilder out = new StringBuilder();
    for (String name : signed) {
      List<String> values = request.headers().getOrDefault(name, List.of());
      List<String> trimmed = values.stream().map(v -> v.strip().replaceAll("\\s+", " ")).toList();
      out.append(name).append(':').append(String.join(",", trimmed)).append('\n');
    }
    return out.toString();
  }

  private static String sha256Hex(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** RFC 3986 encoding as SigV4 wants it: unreserved characters stay, the rest become %XX. */
  private static String encode(String text, boolean encodeSlash) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      boolean unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == '~';
      if (unreserved || (c == '/' && !encodeSlash)) {
        out.append(c);
      } else {
        out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  private static String decode(String text) {
    return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
