package io.studiocp.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.studiocp.platform.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;

/**
 * The functions' log lines while a test runs, formatted exactly as in Lambda (Powertools' JSON
 * layout, the one the layer's log4j2.properties uses) and parsed, so a test can assert on fields.
 */
public final class CapturedLogs implements AutoCloseable {

  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final LoggerContext context;
  private final AbstractAppender appender;

  private CapturedLogs() {
    context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    JsonTemplateLayout layout = JsonTemplateLayout.newBuilder().setConfiguration(config)
        .setEventTemplateUri("classpath:LambdaJsonLayout.json").build();
    appender = new AbstractAppender("captured-" + System.identityHashCode(this), null, layout, true, Property.EMPTY_ARRAY) {
      @Override
      public void append(LogEvent event) {
        lines.add(layout.toSerializable(event));
      }
    };
    appender.start();
    config.getRootLogger().addAppender(appender, Level.ALL, null);
    context.updateLoggers();
  }

  /** Starts capturing every line logged from now on, in every thread. */
  public static CapturedLogs start() {
    return new CapturedLogs();
  }

  /** The lines so far, each parsed from its JSON. */
  public List<JsonNode> lines() {
    return lines.stream().map(line -> {
      try {
        return Json.mapper().readTree(line);
      } catch (IOException e) {
        throw new UncheckedIOException("a log line is not JSON: " + line, e);
      }
    }).toList();
  }

  /** The lines of one invocation, by its Lambda request id. */
  public List<JsonNode> ofRequest(String requestId) {
    return lines().stream().filter(l -> requestId.equals(l.path("function_request_id").asText())).toList();
  }

  @Override
  public void close() {
    context.getConfiguration().getRootLogger().removeAppender(appender.getName());
    context.updateLoggers();
    appender.stop();
  }
}
