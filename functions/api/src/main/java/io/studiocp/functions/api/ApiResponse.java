package io.studiocp.functions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.platform.Json;

/** What a route answers: a status and a JSON body. */
public record ApiResponse(int status, JsonNode body) {

  public static ApiResponse json(int status, JsonNode body) {
    return new ApiResponse(status, body);
  }

  /** {@code {"error": code, "message": message}}, the shape of every problem the API reports. */
  public static ApiResponse error(int status, String code, String message) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("error", code);
    node.put("message", message);
    return new ApiResponse(status, node);
  }
}
