package io.studiocp.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.platform.Json.NotOneDocument.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A text read as exactly one JSON document: what a lenient reader would have let through is refused. */
class JsonTest {

  @Test
  void readsOneDocumentWithSpaceAround() {
    assertEquals("m5.large", Json.readOneDocument(" {\"instanceType\": \"m5.large\"}\n").get("instanceType").asText());
    assertEquals(2, Json.readOneDocument("[1, 2]").size());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "{\"instanceType\": \"bogus\", \"instanceType\": \"m5.large\"}|DUPLICATE_KEY|\"instanceType\" appears more than once",
      "{\"a\": {\"b\": 1, \"b\": 2}}|DUPLICATE_KEY|\"a.b\" appears more than once",
      "[{\"p\": 1}, {\"p\": 2, \"p\": 3}]|DUPLICATE_KEY|\"1.p\" appears more than once",
      "{\"instanceType\": \"m5.large\"} garbage|TRAILING_CONTENT|more after the JSON document, which ends at line 1, column 29;",
      "{\"instanceType\": \"m5.large\"}{\"instanceType\": \"c5.large\"}|TRAILING_CONTENT|more after the JSON document",
      "{} []|TRAILING_CONTENT|more after the JSON document",
      "{\"instanceType\": |MALFORMED|(line 1",
      "{'instanceType': 'm5.large'}|MALFORMED|(line 1, column 2)",
      "`   `|MALFORMED|no JSON document",
  })
  void refuses(String text, Problem problem, String named) {
    Json.NotOneDocument e = assertThrows(Json.NotOneDocument.class, () -> Json.readOneDocument(text));
    assertEquals(problem, e.problem(), e.getMessage());
    assertTrue(e.getMessage().contains(named), "'" + e.getMessage() + "' should name " + named);
  }

  @Test
  void theMapperItselfStaysLenientForTheWorkflowsOwnDocuments() throws Exception {
    assertEquals(2, Json.mapper().readTree("{\"a\": 1, \"a\": 2}").get("a").asInt());
  }
}
