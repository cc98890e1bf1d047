package io.studiocp.emulators.stepfunctions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A state machine definition loaded strictly: every field of every state must be one the local
 * executor implements faithfully, or loading fails with a message naming the state and the
 * construct. Nothing is silently ignored, so a definition that runs here runs the same in AWS.
 */
public final class AslDefinition {

  static final String LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";
  static final String LAMBDA_INVOKE_WAIT = "arn:aws:states:::lambda:invoke.waitForTaskToken";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");

  private static final Set<String> TOP_FIELDS =
      Set.of("Comment", "StartAt", "States", "TimeoutSeconds", "Version", "QueryLanguage");
  private static final Set<String> COMMON = Set.of("Type", "Comment");
  private static final Set<String> FLOW = Set.of("Next", "End");
  private static final Set<String> TASK_FIELDS = union(COMMON, FLOW, Set.of("Resource",
      "Parameters", "ResultSelector", "ResultPath", "InputPath", "OutputPath", "TimeoutSeconds",
      "HeartbeatSeconds", "Retry", "Catch"));
  private static final Set<String> PASS_FIELDS = union(COMMON, FLOW, Set.of("Result",
      "ResultPath", "Parameters", "InputPath", "OutputPath"));
  private static final Set<String> FAIL_FIELDS =
      union(COMMON, Set.of("Error", "Cause", "ErrorPath", "CausePath"));
  private static final Set<String> CHOICE_FIELDS =
      union(COMMON, Set.of("Choices", "Default", "InputPath", "OutputPath"));
  private static final Set<String> CHOICE_RULE_FIELDS = Set.of("Variable", "BooleanEquals", "Next", "Comment");
  private static final Set<String> SUCCEED_FIELDS = union(COMMON, Set.of("InputPath", "OutputPath"));
  private static final Set<String> RETRY_FIELDS = Set.of("ErrorEquals", "IntervalSeconds",
      "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment");
  private static final Set<String> CATCH_FIELDS = Set.of("ErrorEquals", "ResultPath", "Next", "Comment");

  /** A path field that may also be JSON null (meaning: nothing / discard). */
  record PathField(ReferencePath path, boolean isNull) {
    static final PathField ROOT = new PathField(ReferencePath.parse("$"), false);
  }

  record Retrier(List<String> errorEquals, double intervalSeconds, int maxAttempts,
      double backoffRate, Double maxDelaySeconds, boolean fullJitter) {}

  record Catcher(List<String> errorEquals, PathField resultPath, String next) {}

  /** One rule of a Choice state: the boolean at {@code variable} equals {@code equals} (the only comparison supported). */
  record ChoiceRule(ReferencePath variable, boolean equals, String next) {}

  sealed interface State permits Task, Pass, Choice, Fail, Succeed {
    String name();
  }

  record Task(String name, String next, String resource, Template parameters,
      Template resultSelector, PathField inputPath, PathField resultPath, PathField outputPath,
      Integer timeoutSeconds, Integer heartbeatSeconds, List<Retrier> retry, List<Catcher> catchers)
      implements State {
    boolean waitsForTaskToken() {
      return LAMBDA_INVOKE_WAIT.equals(resource);
    }
  }

  record Pass(String name, String next, JsonNode result, Template parameters, PathField inputPath,
      PathField resultPath, PathField outputPath) implements State {}

  record Choice(String name, List<ChoiceRule> choices, String defaultNext, PathField inputPath,
      PathField outputPath) implements State {}

  record Fail(String name, String error, String cause, ReferencePath errorPath,
      ReferencePath causePath) implements State {}

  record Succeed(String name, PathField inputPath, PathField outputPath) implements State {}

  private final String startAt;
  private final Integer timeoutSeconds;
  private final Map<String, State> states;

  private AslDefinition(String startAt, Integer timeoutSeconds, Map<String, State> states) {
    this.startAt = startAt;
    this.timeoutSeconds = timeoutSeconds;
    this.states = states;
  }

  /**
   * Fills {@code ${Name}} placeholders the way {@code DefinitionSubstitutions} does (text for
   * text; numbers stay numbers when unquoted) and loads the result strictly.
   */
  public static AslDefinition load(String definitionText, Map<String, String> substitutions) {
    return load(substitute(definitionText, substitutions));
  }

  public static String substitute(String definitionText, Map<String, String> substitutions) {
    Matcher m = PLACEHOLDER.matcher(definitionText);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = substitutions.get(m.group(1));
      if (value == null) {
        throw new UnsupportedAslException("the definition uses ${" + m.group(1)
            + "} but no substitution was given for it");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  public static AslDefinition load(String definitionJson) {
    JsonNode root;
    try {
      root = JSON.readTree(definitionJson);
    } catch (JsonProcessingException e) {
      throw new UnsupportedAslException("the definition is not JSON: " + e.getOriginalMessage());
    }
    if (!(root instanceof ObjectNode top)) {
      throw new UnsupportedAslException("the definition must be a JSON object");
    }
    onlyFields(top, TOP_FIELDS, "the definition");
    if (top.has("QueryLanguage") && !"JSONPath".equals(top.get("QueryLanguage").asText())) {
      throw new UnsupportedAslException("QueryLanguage '" + top.get("QueryLanguage").asText()
          + "' is not supported by the local executor (only JSONPath)");
    }
    String startAt = requiredText(top, "StartAt", "the definition");
    JsonNode statesNode = top.get("States");
    if (!(statesNode instanceof ObjectNode statesObject) || statesObject.isEmpty()) {
      throw new UnsupportedAslException("the definition needs a non-empty 'States' object");
    }
    Map<String, State> states = new LinkedHashMap<>();
    statesObject.properties().forEach(e -> states.put(e.getKey(), state(e.getKey(), e.getValue())));
    AslDefinition definition = new AslDefinition(startAt,
        top.has("TimeoutSeconds") ? positiveInt(top, "TimeoutSeconds", "the definition") : null,
        Collections.unmodifiableMap(states));
    definition.checkTransitions();
    return definition;
  }

  private void checkTransitions() {
    requireState(startAt, "StartAt");
    for (State state : states.values()) {
      switch (state) {
        case Task t -> {
          requireNextOrEnd(t.name(), t.next());
          t.catchers().forEach(c -> requireState(c.next(), "state '" + t.name() + "' Catch"));
        }
        case Pass p -> requireNextOrEnd(p.name(), p.next());
        case Choice c -> {
          c.choices().forEach(r -> requireState(r.next(), "state '" + c.name() + "' Choices"));
          if (c.defaultNext() != null) {
            requireState(c.defaultNext(), "state '" + c.name() + "' Default");
          }
        }
        case Fail f -> { }
        case Succeed s -> { }
      }
    }
  }

  private void requireNextOrEnd(String name, String next) {
    if (next != null) {
      requireState(next, "state '" + name + "' Next");
    }
  }

  private void requireState(String name, String where) {
    if (!states.containsKey(name)) {
      throw new UnsupportedAslException(where + " names '" + name + "', which is not a state");
    }
  }

  String startAt() {
    return startAt;
  }

  Integer timeoutSeconds() {
    return timeoutSeconds;
  }

  State state(String name) {
    return states.get(name);
  }

  /** The states by name (for tests that check how the definition is wired). */
  public Map<String, String> transitions() {
    Map<String, String> out = new LinkedHashMap<>();
    states.values().forEach(s -> {
      switch (s) {
        case Task t -> out.put(t.name(), t.next() == null ? "(end)" : t.next());
        case Pass p -> out.put(p.name(), p.next() == null ? "(end)" : p.next());
        case Choice c -> out.put(c.name(), String.join("|", c.choices().stream().map(ChoiceRule::next).toList())
            + (c.defaultNext() == null ? "" : "|" + c.defaultNext()));
        case Fail f -> out.put(f.name(), "(fail)");
        case Succeed x -> out.put(x.name(), "(succeed)");
      }
    });
    return out;
  }

  /** For each Task state, where its Catch clauses lead. */
  public Map<String, List<String>> catchTargets() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    states.values().forEach(s -> {
      if (s instanceof Task t) {
        out.put(t.name(), t.catchers().stream().map(Catcher::next).toList());
      }
    });
    return out;
  }

  /** For each Task state, the errors of each Catch clause. */
  public Map<String, List<List<String>>> catchErrors() {
    Map<String, List<List<String>>> out = new LinkedHashMap<>();
    states.values().forEach(s -> {
      if (s instanceof Task t) {
        out.put(t.name(), t.catchers().stream().map(Catcher::errorEquals).toList());
      }
    });
    return out;
  }

  // ---- parsing of single states ------------------------------------------------------------

  private static State state(String name, JsonNode node) {
    String where = "state '" + name + "'";
    if (!(node instanceof ObjectNode object)) {
      throw new UnsupportedAslException(where + " must be a JSON object");
    }
    String type = requiredText(object, "Type", where);
    return switch (type) {
      case "Task" -> task(name, object, where);
      case "Pass" -> pass(name, object, where);
      case "Choice" -> choice(name, object, where);
      case "Fail" -> fail(name, object, where);
      case "Succeed" -> {
        onlyFields(object, SUCCEED_FIELDS, where);
        yield new Succeed(name, pathField(object, "InputPath", where),
            pathField(object, "OutputPath", where));
      }
      default -> throw new UnsupportedAslException(where + " has Type '" + type
          + "', which the local executor does not support (Task, Pass, Choice, Fail, Succeed)");
    };
  }

  private static Task task(String name, ObjectNode node, String where) {
    onlyFields(node, TASK_FIELDS, where);
    String resource = requiredText(node, "Resource", where);
    if (!LAMBDA_INVOKE.equals(resource) && !LAMBDA_INVOKE_WAIT.equals(resource)) {
      throw new UnsupportedAslException(where + " uses Resource '" + resource
          + "'; the local executor runs only " + LAMBDA_INVOKE + " and " + LAMBDA_INVOKE_WAIT);
    }
    JsonNode parameters = node.get("Parameters");
    if (!(parameters instanceof ObjectNode params)) {
      throw new UnsupportedAslException(where + " needs Parameters with FunctionName and Payload");
    }
    onlyFields(params, Set.of("FunctionName", "Payload", "Payload.$"),
        where + " Parameters");
    if (!params.has("FunctionName")) {
      throw new UnsupportedAslException(where + " Parameters need a literal FunctionName");
    }
    if (!params.has("Payload") && !params.has("Payload.$")) {
      throw new UnsupportedAslException(where + " Parameters need Payload or Payload.$");
    }
    Template template = Template.compile(params, where + " Parameters");
    if (LAMBDA_INVOKE_WAIT.equals(resource) && !template.mentions("$$.Task.Token")) {
      throw new UnsupportedAslException(where + " waits for a task token but never passes "
          + "$$.Task.Token to the function");
    }
    return new Task(name, next(node, where), resource, template,
        node.has("ResultSelector") ? Template.compile(node.get("ResultSelector"), where + " ResultSelector") : null,
        pathField(node, "InputPath", where), pathField(node, "ResultPath", where),
        pathField(node, "OutputPath", where),
        node.has("TimeoutSeconds") ? positiveInt(node, "TimeoutSeconds", where) : null,
        node.has("HeartbeatSeconds") ? positiveInt(node, "HeartbeatSeconds", where) : null,
        retriers(node, where), catchers(node, where));
  }

  private static Pass pass(String name, ObjectNode node, String where) {
    onlyFields(node, PASS_FIELDS, where);
    return new Pass(name, next(node, where), node.get("Result"),
        node.has("Parameters") ? Template.compile(node.get("Parameters"), where + " Parameters") : null,
        pathField(node, "InputPath", where), pathField(node, "ResultPath", where),
        pathField(node, "OutputPath", where));
  }

  private static Choice choice(String name, ObjectNode node, String where) {
    onlyFields(node, CHOICE_FIELDS, where);
    JsonNode rules = node.get("Choices");
    if (!(rules instanceof ArrayNode array) || array.isEmpty()) {
      throw new UnsupportedAslException(where + " needs a non-empty Choices array");
    }
    List<ChoiceRule> choices = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String at = where + " Choices[" + i + "]";
      if (!(array.get(i) instanceof ObjectNode rule)) {
        throw new UnsupportedAslException(at + " must be an object");
      }
      onlyFields(rule, CHOICE_RULE_FIELDS, at);
      if (!rule.path("BooleanEquals").isBoolean()) {
        throw new UnsupportedAslException(at + " needs BooleanEquals true or false (the only comparison the local "
            + "executor supports)");
      }
      choices.add(new ChoiceRule(path(requiredText(rule, "Variable", at), at + " Variable"),
          rule.get("BooleanEquals").asBoolean(), requiredText(rule, "Next", at)));
    }
    return new Choice(name, choices, node.path("Default").asText(null), pathField(node, "InputPath", where),
        pathField(node, "OutputPath", where));
  }

  private static Fail fail(String name, ObjectNode node, String where) {
    onlyFields(node, FAIL_FIELDS, where);
    if (node.has("Error") && node.has("ErrorPath")) {
      throw new UnsupportedAslException(where + " has both Error and ErrorPath");
    }
    if (node.has("Cause") && node.has("CausePath")) {
      throw new UnsupportedAslException(where + " has both Cause and CausePath");
    }
    return new Fail(name, node.path("Error").asText(null), node.path("Cause").asText(null),
        node.has("ErrorPath") ? path(node.get("ErrorPath").asText(), where + " ErrorPath") : null,
        node.has("CausePath") ? path(node.get("CausePath").asText(), where + " CausePath") : null);
  }

  private static String next(ObjectNode node, String where) {
    boolean end = node.path("End").asBoolean(false);
    String next = node.path("Next").asText(null);
    if (end == (next != null)) {
      throw new UnsupportedAslException(where + " needs exactly one of Next and End: true");
    }
    return next;
  }

  private static List<Retrier> retriers(ObjectNode node, String where) {
    List<Retrier> retriers = new ArrayList<>();
    JsonNode retry = node.get("Retry");
    if (retry == null) {
      return retriers;
    }
    if (!(retry instanceof ArrayNode array)) {
      throw new UnsupportedAslException(where + " Retry must be an array");
    }
    for (int i = 0; i < array.size(); i++) {
      String at = where + " Retry[" + i + "]";
      if (!(array.get(i) instanceof ObjectNode r)) {
        throw new UnsupportedAslException(at + " must be an object");
      }
      onlyFields(r, RETRY_FIELDS, at);
      String jitter = r.path("JitterStrategy").asText("NONE");
      if (!jitter.equals("FULL") && !jitter.equals("NONE")) {
        throw new UnsupportedAslException(at + " JitterStrategy must be FULL or NONE");
      }
      retriers.add(new Retrier(errorEquals(r, at, i == array.size() - 1),
          r.path("IntervalSeconds").asDouble(1), r.path("MaxAttempts").asInt(3),
          r.path("BackoffRate").asDouble(2.0),
          r.has("MaxDelaySeconds") ? r.get("MaxDelaySeconds").asDouble() : null,
          jitter.equals("FULL")));
    }
    return List.copyOf(retriers);
  }

  private static List<Catcher> catchers(ObjectNode node, String where) {
    List<Catcher> catchers = new ArrayList<>();
    JsonNode catchNode = node.get("Catch");
    if (catchNode == null) {
      return catchers;
    }
    if (!(catchNode instanceof ArrayNode array)) {
      throw new UnsupportedAslException(where + " Catch must be an array");
    }
    for (int i = 0; i < array.size(); i++) {
      String at = where + " Catch[" + i + "]";
      if (!(array.get(i) instanceof ObjectNode c)) {
        throw new UnsupportedAslException(at + " must be an object");
      }
      onlyFields(c, CATCH_FIELDS, at);
      catchers.add(new Catcher(errorEquals(c, at, i == array.size() - 1),
          pathField(c, "ResultPath", at), requiredText(c, "Next", at)));
    }
    return List.copyOf(catchers);
  }

  private static List<String> errorEquals(ObjectNode node, String where, boolean last) {
    JsonNode errors = node.get("ErrorEquals");
    if (!(errors instanceof ArrayNode array) || array.isEmpty()) {
      throw new UnsupportedAslException(where + " needs a non-empty ErrorEquals");
    }
    List<String> names = new ArrayList<>();
    array.forEach(e -> names.add(e.asText()));
    if (names.contains("States.ALL") && (names.size() > 1 || !last)) {
      throw new UnsupportedAslException(where + ": States.ALL must appear alone in the last clause");
    }
    return List.copyOf(names);
  }

  private static PathField pathField(ObjectNode node, String field, String where) {
    if (!node.has(field)) {
      return PathField.ROOT;
    }
    JsonNode value = node.get(field);
    if (value.isNull()) {
      return new PathField(null, true);
    }
    return new PathField(path(value.asText(), where + " " + field), false);
  }

  private static ReferencePath path(String text, String where) {
    try {
      return ReferencePath.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UnsupportedAslException(where + ": " + e.getMessage());
    }
  }

  private static void onlyFields(ObjectNode node, Set<String> allowed, String where) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        throw new UnsupportedAslException(where + " has field '" + field
            + "', which the local executor does not support");
      }
    }
  }

  private static String requiredText(ObjectNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw new UnsupportedAslException(where + " needs a string '" + field + "'");
    }
    return value.asText();
  }

  private static int positiveInt(ObjectNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1) {
      throw new UnsupportedAslException(where + " " + field + " must be a positive integer, got "
          + value);
    }
    return value.asInt();
  }

  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    Set<String> all = new HashSet<>();
    for (Set<String> s : sets) {
      all.addAll(s);
    }
    return Set.copyOf(all);
  }

  /**
   * A Parameters or ResultSelector template: keys ending in {@code .$} take the value at a path,
   * other values are copied (nested objects and arrays are templates too).
   */
  static final class Template {

    private final JsonNode source;

    private Template(JsonNode source) {
      this.source = source;
    }

    static Template compile(JsonNode source, String where) {
      check(source, where);
      return new Template(source);
    }

    private static void check(JsonNode node, String where) {
      if (node instanceof ObjectNode object) {
        object.properties().forEach(e -> {
          if (e.getKey().endsWith(".$")) {
            if (!e.getValue().isTextual()) {
              throw new UnsupportedAslException(where + " field '" + e.getKey() + "' must be a path string");
            }
            path(e.getValue().asText(), where + " field '" + e.getKey() + "'");
          } else {
            check(e.getValue(), where);
          }
        });
      } else if (node instanceof ArrayNode array) {
        array.forEach(v -> check(v, where));
      }
    }

    boolean mentions(String path) {
      return source.toString().contains("\"" + path + "\"");
    }

    JsonNode apply(JsonNode input, JsonNode context, String where) {
      return apply(source, input, context, where);
    }

    private static JsonNode apply(JsonNode node, JsonNode input, JsonNode context, String where) {
      if (node instanceof ObjectNode object) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        object.properties().forEach(e -> {
          if (e.getKey().endsWith(".$")) {
            ReferencePath path = ReferencePath.parse(e.getValue().asText());
            out.set(e.getKey().substring(0, e.getKey().length() - 2),
                path.require(input, context, where));
          } else {
            out.set(e.getKey(), apply(e.getValue(), input, context, where));
          }
        });
        return out;
      }
      if (node instanceof ArrayNode array) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        array.forEach(v -> out.add(apply(v, input, context, where)));
        return out;
      }
      return node.deepCopy();
    }
  }
}
