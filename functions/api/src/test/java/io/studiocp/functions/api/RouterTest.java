package io.studiocp.functions.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.node.TextNode;
import io.studiocp.platform.Rejection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The router alone: a route per method and resource, 405 and 404 for the rest. */
class RouterTest {

  private final Router router = new Router(List.of(
      new Route("GET", "/things", request -> ApiResponse.json(200, TextNode.valueOf("list"))),
      new Route("POST", "/things", request -> ApiResponse.json(202, TextNode.valueOf("made"))),
      new Route("GET", "/things/{id}", request -> ApiResponse.json(200, TextNode.valueOf(request.pathParameter("id"))))));

  private static ApiRequest request(String method, String resource, Map<String, String> path) {
    return request(method, resource, path, Map.of("Idempotency-Key", "k-1"));
  }

  private static ApiRequest request(String method, String resource, Map<String, String> path,
      Map<String, String> headers) {
    return new ApiRequest(new APIGatewayProxyRequestEvent().withHttpMethod(method).withResource(resource)
        .withPathParameters(path).withHeaders(headers), null);
  }

  @Test
  void sendsEachRequestToItsRoute() {
    assertEquals(ApiResponse.json(202, TextNode.valueOf("made")), router.dispatch(request("POST", "/things", null)));
    assertEquals(ApiResponse.json(200, TextNode.valueOf("t-1")),
        router.dispatch(request("get", "/things/{id}", Map.of("id", "t-1"))), "methods in any case");
  }

  @Test
  void aChangeWithoutAnIdempotencyKeyNeverReachesItsRoute() {
    Rejection e = assertThrows(Rejection.class, () -> router.dispatch(request("POST", "/things", null, Map.of())));
    assertEquals(Rejection.Kind.INVALID, e.kind());
    assertEquals("MissingHeader", e.code());
    assertTrue(e.getMessage().startsWith("Idempotency-Key: POST /things changes something"), e.getMessage());
    assertEquals(ApiResponse.json(200, TextNode.valueOf("t-1")),
        router.dispatch(request("GET", "/things/{id}", Map.of("id", "t-1"), Map.of())), "reading needs none");
  }

  @Test
  void aKnownResourceAskedWithAnotherMethodIs405() {
    ApiResponse response = router.dispatch(request("DELETE", "/things", null));
    assertEquals(405, response.status());
    assertEquals("MethodNotAllowed", response.body().get("error").asText());
    assertEquals("DELETE is not supported on /things", response.body().get("message").asText());
  }

  @Test
  void anUnknownResourceIs404() {
    ApiResponse response = router.dispatch(request("GET", "/nowhere", null));
    assertEquals(404, response.status());
    assertEquals("no such API route: GET /nowhere", response.body().get("message").asText());
  }

  @Test
  void listsTheResourcesAndTheirMethods() {
    assertEquals(Map.of("/things", List.of("GET", "POST"), "/things/{id}", List.of("GET")), router.methodsByResource());
  }

  @Test
  void twoGroupsCannotClaimTheSameRoute() {
    Route one = new Route("GET", "/things", request -> null);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Router(List.of(one, one)));
    assertEquals("two routes for GET /things", e.getMessage());
  }
}
