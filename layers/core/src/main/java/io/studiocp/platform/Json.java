package io.studiocp.platform;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one configured Jackson mapper: null fields are left out, unknown fields tolerated inside the workflow. */
public final class Json {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .setSerializationInclusion(JsonInclude.Include.NON_NULL)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Why a text is not exactly one JSON document; the message says what to change. */
  public static final class NotOneDocument extends RuntimeException {

    /** What is wrong: the text is not JSON, holds a key twice, or holds more after the document. */
    public enum Problem { MALFORMED, DUPLICATE_KEY, TRAILING_CONTENT }

    private final Problem problem;

    NotOneDocument(Problem problem, String message) {
      super(message, null, false, false);
      this.problem = problem;
    }

    public Problem problem() {
      return problem;
    }
  }

  /**
   * Reads a text that must be exactly one JSON document: well formed, no key twice in an object
   * (which a lenient reader would silently resolve to the last one), and nothing after it.
   *
   * @throws NotOneDocument naming the key or the position that is wrong
   */
  public static JsonNode readOneDocument(String text) {
    try (JsonParser parser = MAPPER.getFactory().createParser(text)) {
      parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      JsonNode document = read(parser);
      JsonLocation end = parser.currentLocation();
      boolean more;
      try {
        more = parser.nextToken() != null;
      } catch (JsonProcessingException e) {
        more = true;
      }
      if (more) {
        throw new NotOneDocument(NotOneDocument.Problem.TRAILING_CONTENT, "there is more after the JSON document, "
            + "which ends at" + where(end).replace(" (", " ").replace(")", "") + "; send exactly one document");
      }
      return document;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode read(JsonParser parser) throws IOException {
    try {
      JsonNode document = MAPPER.readTree(parser);
      if (document == null || document.isMissingNode()) {
        throw new NotOneDocument(NotOneDocument.Problem.MALFORMED, "there is no JSON document");
      }
      return document;
    } catch (JsonProcessingException e) {
      JsonStreamContext context = parser.getParsingContext();
      // Jackson's duplicate detection fails on the repeated name, with the parser on it.
      if (e.getOriginalMessage().startsWith("Duplicate field") && context != null && context.inObject()
          && context.getCurrentName() != null) {
        throw new NotOneDocument(NotOneDocument.Problem.DUPLICATE_KEY, "\"" + path(context)
            + "\" appears more than once; send each field once");
      }
      throw new NotOneDocument(NotOneDocument.Problem.MALFORMED, e.getOriginalMessage() + where(e.getLocation()));
    }
  }

  /** The key's place in the document, such as {@code instanceType} or {@code a.b}. */
  private static String path(JsonStreamContext context) {
    StringBuilder path = new StringBuilder();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      String part = c.inObject() ? c.getCurrentName() : String.valueOf(c.getCurrentIndex());
      path.insert(0, path.isEmpty() ? part : part + ".");
    }
    return path.toString();
  }

  private static String where(JsonLocation location) {
    return location == null || location.getLineNr() < 0 ? ""
        : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }
}
