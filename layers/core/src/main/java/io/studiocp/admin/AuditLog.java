package io.studiocp.admin;

import java.util.Map;

/** Where every mutating admin action leaves one line: who asked, what changed, when. */
public interface AuditLog {

  /**
   * @param caller who asked (a principal ARN, or the console invocation's request id)
   * @param change what changed
   * @param at when, ISO-8601
   * @param context anything else that identifies the request (request id, function)
   */
  void record(String caller, Change change, String at, Map<String, String> context);
}
