package io.studiocp.emulators.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * A service's API in botocore's format ({@code service-2.json}): its operations and the shapes of
 * their inputs, outputs and errors.
 *
 * <p>The stand-ins ship the part of botocore's model they implement (documentation removed), so
 * that they validate requests and check their own answers exactly as the model says, without
 * needing botocore at run time; a test keeps those copies equal to the installed botocore.
 */
public final class ServiceModel {

  /** One operation: its input and output shape (null when it has none) and its modelled errors. */
  public record Operation(String name, String input, String output, List<String> errors) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a shape or member keeps in a trimmed model: everything that constrains, no prose. */
  private static final Set<String> KEPT = Set.of("type", "members", "required", "member", "key", "value",
      "min", "max", "pattern", "enum", "union", "exception", "error", "sensitive", "timestampFormat",
      "shape", "jsonvalue");

  private final JsonNode metadata;
  private final Map<String, Operation> operations;
  private final Map<String, JsonNode> shapes;

  private ServiceModel(JsonNode metadata, Map<String, Operation> operations, Map<String, JsonNode> shapes) {
    this.metadata = metadata;
    this.operations = operations;
    this.shapes = shapes;
  }

  public static ServiceModel parse(JsonNode root) {
    Map<String, Operation> operations = new LinkedHashMap<>();
    root.path("operations").properties().forEach(e -> {
      JsonNode op = e.getValue();
      List<String> errors = new ArrayList<>();
      op.path("errors").forEach(err -> errors.add(err.path("shape").asText()));
      operations.put(e.getKey(), new Operation(e.getKey(), op.path("input").path("shape").asText(null),
          op.path("output").path("shape").asText(null), List.copyOf(errors)));
    });
    Map<String, JsonNode> shapes = new LinkedHashMap<>();
    root.path("shapes").properties().forEach(e -> shapes.put(e.getKey(), e.getValue()));
    return new ServiceModel(root.path("metadata"), operations, shapes);
  }

  /** Reads a model file, plain or gzipped ({@code service-2.json.gz}, as botocore installs it). */
  public static ServiceModel read(Path file) {
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
      return parse(JSON.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the service model " + file + ": " + e.getMessage(), e);
    }
  }

  /** A model shipped on the class path next to {@code anchor}. */
  public static ServiceModel resource(Class<?> anchor, String name) {
    try (InputStream in = anchor.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the service model " + name + " is not packaged next to "
            + anchor.getName());
      }
      return parse(JSON.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the service model " + name + ": " + e.getMessage(), e);
    }
  }

  public JsonNode metadata() {
    return metadata;
  }

  public Set<String> operationNames() {
    return operations.keySet();
  }

  public Optional<Operation> operation(String name) {
    return Optional.ofNullable(operations.get(name));
  }

  public boolean hasShape(String name) {
    return shapes.containsKey(name);
  }

  public JsonNode shape(String name) {
    JsonNode shape = shapes.get(name);
    if (shape == null) {
      throw new IllegalArgumentException("the model has no shape " + name);
    }
    return shape;
  }

  public Set<String> shapeNames() {
    return shapes.keySet();
  }

  /** Every error the service models, whichever operation lists it: the SDK maps each to its class. */
  public Set<String> errorShapes() {
    Set<String> errors = new LinkedHashSet<>();
    shapes.forEach((name, shape) -> {
      if (shape.path("exception").asBoolean(false)) {
        errors.add(name);
      }
    });
    return errors;
  }

  /** This model plus another's operations and shapes (for an API botocore does not publish). */
  public ServiceModel with(ServiceModel extra) {
    Map<String, Operation> ops = new LinkedHashMap<>(operations);
    Map<String, JsonNode> allShapes = new LinkedHashMap<>(shapes);
    extra.operations.forEach((name, op) -> {
      if (ops.putIfAbsent(name, op) != null) {
        throw new IllegalArgumentException("both models define the operation " + name);
      }
    });
    extra.shapes.forEach((name, shape) -> {
      if (allShapes.putIfAbsent(name, shape) != null && !shapes.get(name).equals(shape)) {
        throw new IllegalArgumentException("the models define the shape " + name + " differently");
      }
    });
    return new ServiceModel(metadata, ops, allShapes);
  }

  /**
   * The part of this model that {@code operationNames} need: those operations and every shape their
   * inputs, outputs and errors reach, with the documentation left out.
   */
  public ServiceModel trimmedTo(Collection<String> operationNames) {
    Map<String, Operation> ops = new LinkedHashMap<>();
    Deque<String> pending = new ArrayDeque<>();
    for (String name : operationNames) {
      Operation op = operation(name).orElseThrow(
          () -> new IllegalArgumentException("the model has no operation " + name));
      ops.put(name, op);
      if (op.input() != null) {
        pending.add(op.input());
      }
      if (op.output() != null) {
        pending.add(op.output());
      }
      pending.addAll(op.errors());
    }
    Map<String, JsonNode> reached = new TreeMap<>();
    while (!pending.isEmpty()) {
      String name = pending.pop();
      if (reached.containsKey(name)) {
        continue;
      }
      JsonNode shape = stripped(shape(name));
      reached.put(name, shape);
      shape.path("members").forEach(m -> pending.add(m.path("shape").asText()));
      for (String part : List.of("member", "key", "value")) {
        if (shape.has(part)) {
          pending.add(shape.get(part).path("shape").asText());
        }
      }
    }
    ObjectNode meta = JSON.createObjectNode();
    for (String field : List.of("apiVersion", "protocol", "jsonVersion", "targetPrefix", "serviceId", "uid")) {
      if (metadata.has(field)) {
        meta.set(field, metadata.get(field));
      }
    }
    return new ServiceModel(meta, ops, new LinkedHashMap<>(reached));
  }

  /** The model in botocore's layout. */
  public ObjectNode toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.set("metadata", metadata);
    ObjectNode ops = root.putObject("operations");
    operations.forEach((name, op) -> {
      ObjectNode node = ops.putObject(name);
      node.put("name", name);
      if (op.input() != null) {
        node.putObject("input").put("shape", op.input());
      }
      if (op.output() != null) {
        node.putObject("output").put("shape", op.output());
      }
      if (!op.errors().isEmpty()) {
        op.errors().forEach(e -> node.withArray("errors").addObject().put("shape", e));
      }
    });
    ObjectNode allShapes = root.putObject("shapes");
    shapes.forEach(allShapes::set);
    return root;
  }

  private static JsonNode stripped(JsonNode shape) {
    ObjectNode copy = JSON.createObjectNode();
    shape.properties().forEach(e -> {
      if (!KEPT.contains(e.getKey())) {
        return;
      }
      if (e.getKey().equals("members")) {
        ObjectNode members = copy.putObject("members");
        e.getValue().properties().forEach(m -> members.set(m.getKey(), stripped(m.getValue())));
      } else if (e.getValue().isObject()) {
        copy.set(e.getKey(), stripped(e.getValue()));
      } else {
        copy.set(e.getKey(), e.getValue());
      }
    });
    return copy;
  }
}
