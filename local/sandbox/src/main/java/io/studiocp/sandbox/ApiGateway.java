package io.studiocp.sandbox;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.studiocp.emulators.lambda.LocalContext;
import io.studiocp.functions.api.ApiHandler;
import io.studiocp.platform.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * API Gateway for the sandbox: a stage on a loopback port, IAM authorization by SigV4, and the
 * REST resources of template.yaml, each request turned into the proxy event the ApiFunction gets
 * in AWS. Like API Gateway, an unsigned or badly signed call never reaches the function, and an
 * unknown route answers "Missing Authentication Token".
 */
public final class ApiGateway implements AutoCloseable {

  /** A resource of the API and the methods it has, as template.yaml declares them. */
  public record Route(String resource, List<String> methods) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final SigV4Verifier verifier;
  private final ApiHandler handler;
  private final String stage;
  private final List<Route> routes;
  private final String accountId;

  ApiGateway(int port, SigV4Verifier verifier, ApiHandler handler, String stage, List<Route> routes, String accountId) {
    this.verifier = verifier;
    this.handler = handler;
    this.stage = stage;
    this.routes = List.copyOf(routes);
    this.accountId = accountId;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on 127.0.0.1:" + port + " (is a sandbox running already?): "
          + e.getMessage(), e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::serve);
    server.start();
  }

  /** Serves another path on the same loopback port (the sandbox's own admin routes). */
  void route(String path, com.sun.net.httpserver.HttpHandler handler) {
    server.createContext(path, handler);
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + stage;
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String rawPath = exchange.getRequestURI().getRawPath();
      String rawQuery = exchange.getRequestURI().getRawQuery();
      String prefix = "/" + stage;
      if (!rawPath.equals(prefix) && !rawPath.startsWith(prefix + "/")) {
        gatewayError(exchange, 403, "MissingAuthenticationTokenException", "Missing Authentication Token");
        return;
      }
      SigV4Verifier.Result auth = verifier.verify(new SigV4Verifier.Request(exchange.getRequestMethod(), rawPath,
          rawQuery, lowerCase(exchange.getRequestHeaders()), body));
      if (auth instanceof SigV4Verifier.Rejected rejected) {
        gatewayError(exchange, 403, rejected.type(), rejected.message());
        return;
      }
      SandboxSeed.Credential caller = ((SigV4Verifier.Verified) auth).credential();
      String path = rawPath.substring(prefix.length());
      path = path.isEmpty() ? "/" : path;
      Map<String, String> pathParameters = new LinkedHashMap<>();
      Route route = match(decode(path), pathParameters);
      if (route == null || !route.methods().contains(exchange.getRequestMethod())) {
        gatewayError(exchange, 403, "MissingAuthenticationTokenException", "Missing Authentication Token");
        return;
      }
      // Through the function's Lambda entry point, JSON in and out, as API Gateway invokes it.
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      handler.handleRequest(new ByteArrayInputStream(Json.mapper().writeValueAsBytes(
          event(exchange, route, decode(path), rawQuery, pathParameters, body, caller))), out,
          new LocalContext("ApiFunction"));
      respond(exchange, Json.mapper().readValue(out.toByteArray(), APIGatewayProxyResponseEvent.class));
    }
  }

  private Route match(String path, Map<String, String> parameters) {
    String[] parts = path.split("/", -1);
    for (Route route : routes) {
      String[] template = route.resource().split("/", -1);
      if (template.length != parts.length) {
        continue;
      }
      Map<String, String> found = new LinkedHashMap<>();
      boolean matches = true;
      for (int i = 0; i < template.length && matches; i++) {
        if (template[i].startsWith("{") && template[i].endsWith("}")) {
          matches = !parts[i].isEmpty();
          found.put(template[i].substring(1, template[i].length() - 1), parts[i]);
        } else {
          matches = template[i].equals(parts[i]);
        }
      }
      if (matches) {
        parameters.putAll(found);
        return route;
      }
    }
    return null;
  }

  private APIGatewayProxyRequestEvent event(HttpExchange exchange, Route route, String path, String rawQuery,
      Map<String, String> pathParameters, byte[] body, SandboxSeed.Credential caller) {
    Map<String, String> headers = new LinkedHashMap<>();
    Map<String, List<String>> multiHeaders = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((name, values) -> {
      headers.put(name, values.getLast());
      multiHeaders.put(name, List.copyOf(values));
    });
    Map<String, String> query = null;
    Map<String, List<String>> multiQuery = null;
    if (rawQuery != null && !rawQuery.isEmpty()) {
      query = new LinkedHashMap<>();
      multiQuery = new LinkedHashMap<>();
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        query.put(name, value);
        multiQuery.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      }
    }
    String sourceIp = exchange.getRemoteAddress().getAddress().getHostAddress();
    String userAgent = exchange.getRequestHeaders().getFirst("User-Agent");
    APIGatewayProxyRequestEvent.RequestIdentity identity = new APIGatewayProxyRequestEvent.RequestIdentity()
        .withAccountId(accountId)
        .withUserArn(caller.principal())
        .withCaller(caller.accessKeyId())
        .withUser(caller.accessKeyId())
        .withAccessKey(caller.accessKeyId())
        .withSourceIp(sourceIp)
        .withUserAgent(userAgent);
    APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext()
        .withAccountId(accountId)
        .withStage(stage)
        .withResourcePath(route.resource())
        .withHttpMethod(exchange.getRequestMethod())
        .withPath("/" + stage + path)
        .withRequestId(UUID.randomUUID().toString())
        .withProtocol("HTTP/1.1")
        .withIdentity(identity);
    return new APIGatewayProxyRequestEvent()
        .withResource(route.resource())
        .withPath(path)
        .withHttpMethod(exchange.getRequestMethod())
        .withHeaders(headers)
        .withMultiValueHeaders(multiHeaders)
        .withQueryStringParameters(query)
        .withMultiValueQueryStringParameters(multiQuery)
        .withPathParameters(pathParameters.isEmpty() ? null : pathParameters)
        .withRequestContext(context)
        .withBody(body.length == 0 ? null : new String(body, StandardCharsets.UTF_8))
        .withIsBase64Encoded(false);
  }

  private static void respond(HttpExchange exchange, APIGatewayProxyResponseEvent response) throws IOException {
    byte[] bytes = response.getBody() == null ? new byte[0] : response.getBody().getBytes(StandardCharsets.UTF_8);
    if (response.getHeaders() != null) {
      response.getHeaders().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    }
    exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
    int status = response.getStatusCode() == null ? 502 : response.getStatusCode();
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** API Gateway's own answers carry only a message, and the error type in a header. */
  private static void gatewayError(HttpExchange exchange, int status, String type, String message) throws IOException {
    byte[] bytes = ("{\"message\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}")
        .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
    exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Map<String, List<String>> lowerCase(Headers headers) {
    Map<String, List<String>> lower = new HashMap<>();
    headers.forEach((k, v) -> lower.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>()).addAll(v));
    return lower;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
