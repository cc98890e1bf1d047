package io.studiocp.functions.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.admin.AuditLog;
import io.studiocp.admin.Change;
import io.studiocp.platform.Json;
import java.io.PrintStream;
import java.util.Map;

/**
 * One JSON line per mutating action on the function's output stream, which Lambda sends to the
 * function's log group: {@code {"audit": "studiocp-admin", "at", "caller", "action", "target",
 * "dryRun", "before", "changes", "outcome", ...}}. A CloudWatch Logs Insights query on
 * {@code audit} finds every one.
 */
final class JsonAuditLog implements AuditLog {

  private final PrintStream out;

  JsonAuditLog(PrintStream out) {
    this.out = out;
  }

  @Override
  public void record(String caller, Change change, String at, Map<String, String> context) {
    ObjectNode line = Json.mapper().createObjectNode();
    line.put("audit", "studiocp-admin");
    line.put("at", at);
    line.put("caller", caller);
    line.put("action", change.action());
    line.put("target", change.target());
    line.put("dryRun", change.dryRun());
    line.put("before", change.before());
    change.changes().forEach(line.withArray("changes")::add);
    line.put("outcome", change.outcome());
    context.forEach(line::put);
    try {
      synchronized (out) {
        out.println(Json.mapper().writeValueAsString(line));
        out.flush();
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
