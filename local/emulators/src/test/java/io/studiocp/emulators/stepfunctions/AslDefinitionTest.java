package io.studiocp.emulators.stepfunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AslDefinitionTest {

  private static String machine(String firstState) {
    return """
        {"StartAt": "First", "States": {"First": %s, "Done": {"Type": "Succeed"}}}
        """.formatted(firstState);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', value = {
      "{\"Type\": \"Map\", \"End\": true}|Type 'Map'",
      "{\"Type\": \"Wait\", \"Seconds\": 1, \"Next\": \"Done\"}|Type 'Wait'",
      "{\"Type\": \"Pass\", \"ItemsPath\": \"$\", \"Next\": \"Done\"}|field 'ItemsPath'",
      "{\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::sqs:sendMessage\", \"Next\": \"Done\"}|Resource 'arn:aws:states:::sqs:sendMessage'",
      "{\"Type\": \"Pass\", \"InputPath\": \"$.items[*]\", \"Next\": \"Done\"}|$.items[*]",
      "{\"Type\": \"Pass\", \"Parameters\": {\"x.$\": \"States.Format('{}', $.a)\"}, \"Next\": \"Done\"}|intrinsic function",
      "{\"Type\": \"Pass\", \"Next\": \"Nowhere\"}|'Nowhere', which is not a state",
      "{\"Type\": \"Pass\"}|exactly one of Next and End",
      "{\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::lambda:invoke.waitForTaskToken\", \"Parameters\": {\"FunctionName\": \"f\", \"Payload\": {}}, \"End\": true}|never passes $$.Task.Token",
      "{\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::lambda:invoke\", \"Parameters\": {\"FunctionName\": \"f\", \"Payload\": {}}, \"Retry\": [{\"ErrorEquals\": [\"States.ALL\"]}, {\"ErrorEquals\": [\"X\"]}], \"End\": true}|States.ALL must appear alone in the last clause",
  })
  void refusesWhatItCannotRunAndNamesIt(String state, String named) {
    UnsupportedAslException e = assertThrows(UnsupportedAslException.class,
        () -> AslDefinition.load(machine(state)));
    assertTrue(e.getMessage().contains(named), e.getMessage());
    assertTrue(e.getMessage().contains("First") || e.getMessage().contains("Nowhere"), e.getMessage());
  }

  @Test
  void substitutesPlaceholdersLikeDefinitionSubstitutions() {
    String text = machine("""
        {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
         "Parameters": {"FunctionName": "${Fn}", "Payload.$": "$"}, "TimeoutSeconds": ${Timeout}, "Next": "Done"}
        """);
    AslDefinition definition = AslDefinition.load(text, Map.of("Fn", "arn:fn", "Timeout", "30"));
    assertEquals("Done", definition.transitions().get("First"));
    UnsupportedAslException missing = assertThrows(UnsupportedAslException.class,
        () -> AslDefinition.load(text, Map.of("Fn", "arn:fn")));
    assertTrue(missing.getMessage().contains("${Timeout}"));
  }
}
