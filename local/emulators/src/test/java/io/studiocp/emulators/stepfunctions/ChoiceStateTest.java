package io.studiocp.emulators.stepfunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Choice states: only BooleanEquals rules (what the definitions use), loaded strictly. */
class ChoiceStateTest {

  private static String definition(String rule) {
    return """
        {"StartAt": "Pick", "States": {
          "Pick": {"Type": "Choice", "Choices": [%s], "Default": "No"},
          "Yes": {"Type": "Succeed"}, "No": {"Type": "Succeed"}}}
        """.formatted(rule);
  }

  @Test
  void aBooleanRuleAndADefaultAreLoaded() {
    AslDefinition loaded = AslDefinition.load(definition(
        "{\"Variable\": \"$.pool\", \"BooleanEquals\": true, \"Next\": \"Yes\"}"));
    assertEquals("Yes|No", loaded.transitions().get("Pick"));
  }

  @Test
  void otherComparisonsAreRefusedByName() {
    UnsupportedAslException e = assertThrows(UnsupportedAslException.class, () -> AslDefinition.load(definition(
        "{\"Variable\": \"$.n\", \"NumericEquals\": 1, \"Next\": \"Yes\"}")));
    assertTrue(e.getMessage().contains("NumericEquals"), e.getMessage());
  }

  @Test
  void aRuleLeadingNowhereIsRefused() {
    UnsupportedAslException e = assertThrows(UnsupportedAslException.class, () -> AslDefinition.load(definition(
        "{\"Variable\": \"$.pool\", \"BooleanEquals\": true, \"Next\": \"Nowhere\"}")));
    assertTrue(e.getMessage().contains("Nowhere"), e.getMessage());
  }
}
