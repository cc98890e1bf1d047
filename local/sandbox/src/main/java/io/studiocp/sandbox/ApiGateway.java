package io.studiocp.sandbox;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.studiocp.emulators.lambda.LocalContext;
import io.studiocp.functions.api.ApiHandler;
import io.studiocp.functions.api.GatewayResponses;
import io.studiocp.platform.Json;
import io.studiocp.sandbox.LoopbackHttpServer.Request;
import io.studiocp.sandbox.LoopbackHttpServer.Response;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * API Gateway for the sandbox: a stage on a loopback port, IAM authorization by SigV4, and the
 * REST resources of template.yaml, each request turned into the proxy event the ApiFunction gets
 * in AWS. Like API Gateway, an unsigned or badly signed call never reaches the function, and an
 * unknown route answers "Missing Authentication Token"; every answer of its own is the API's
 * gateway response for the case ({@link GatewayResponses}, which template.yaml declares), so it
 * has the product's {@code {"error", "message"}} shape, a malformed path included.
 */
public final class ApiGateway implements AutoCloseable {

  /** A resource of the API and the methods it has, as template.yaml declares them. */
  public record Route(String resource, List<String> methods) {}

  private record Mount(String prefix, LoopbackHttpServer.Handler handler) {}

  private final LoopbackHttpServer server;
  private final SigV4Verifier verifier;
  private final ApiHandler handler;
  private final String stage;
  private final List<Route> routes;
  private final String accountId;
  private final List<Mount> mounts = new CopyOnWriteArrayList<>();

  ApiGateway(int port, SigV4Verifier verifier, ApiHandler handler, String stage, List<Route> routes, String accountId) {
    this.verifier = verifier;
    this.handler = handler;
    this.stage = stage;
    this.routes = List.copyOf(routes);
    this.accountId = accountId;
    try {
      server = new LoopbackHttpServer(port, 64, this::serve);
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on 127.0.0.1:" + port + " (is a sandbox running already?): "
          + e.getMessage(), e);
    }
  }

  /** Serves the paths under a prefix on the same loopback port (the sandbox's own admin routes). */
  void route(String prefix, LoopbackHttpServer.Handler handler) {
    mounts.add(new Mount(prefix, handler));
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.port() + "/" + stage;
  }

  private Response serve(Request request) throws IOException {
    String rawPath = request.rawPath();
    String rawQuery = request.rawQuery();
    for (Mount mount : mounts) {
      if (rawPath.startsWith(mount.prefix())) {
        return mount.handler().handle(request);
      }
    }
    String prefix = "/" + stage;
    if (!rawPath.equals(prefix) && !rawPath.startsWith(prefix + "/")) {
      return gatewayError(403, "MissingAuthenticationTokenException", "MISSING_AUTHENTICATION_TOKEN",
          "Missing Authentication Token");
    }
    String path;
    try {
      path = decode(rawPath.substring(prefix.length()));
      if (rawQuery != null) {
        query(rawQuery);
      }
    } catch (IllegalArgumentException e) {
      return gatewayError(400, "BadRequestException", "BAD_REQUEST_PARAMETERS", "the URL is not valid "
          + "percent-encoding (" + e.getMessage() + "); encode '%' itself as %25");
    }
    path = path.isEmpty() ? "/" : path;
    SigV4Verifier.Result auth = verifier.verify(new SigV4Verifier.Request(request.method(), rawPath,
        rawQuery, lowerCase(request.headers()), request.body()));
    if (auth instanceof SigV4Verifier.Rejected rejected) {
      return gatewayError(403, rejected.type(), rejected.responseType(), rejected.message());
    }
    SandboxSeed.Credential caller = ((SigV4Verifier.Verified) auth).credential();
    Map<String, String> pathParameters = new LinkedHashMap<>();
    Route route = match(path, pathParameters);
    if (route == null || !route.methods().contains(request.method())) {
      return gatewayError(403, "MissingAuthenticationTokenException", "MISSING_AUTHENTICATION_TOKEN",
          "Missing Authentication Token");
    }
    // Through the function's Lambda entry point, JSON in and out, as API Gateway invokes it.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(Json.mapper().writeValueAsBytes(
        event(request, route, path, pathParameters, caller))), out, new LocalContext("ApiFunction"));
    return response(Json.mapper().readValue(out.toByteArray(), APIGatewayProxyResponseEvent.class));
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

  private APIGatewayProxyRequestEvent event(Request request, Route route, String path,
      Map<String, String> pathParameters, SandboxSeed.Credential caller) {
    Map<String, String> headers = new LinkedHashMap<>();
    Map<String, List<String>> multiHeaders = new LinkedHashMap<>();
    request.headers().forEach((name, values) -> {
      headers.put(name, values.getLast());
      multiHeaders.put(name, List.copyOf(values));
    });
    Map<String, String> query = null;
    Map<String, List<String>> multiQuery = null;
    if (request.rawQuery() != null && !request.rawQuery().isEmpty()) {
      multiQuery = query(request.rawQuery());
      query = new LinkedHashMap<>();
      for (var e : multiQuery.entrySet()) {
        query.put(e.getKey(), e.getValue().getLast());
      }
    }
    String sourceIp = request.remote().getAddress().getHostAddress();
    String userAgent = request.firstHeader("User-Agent");
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
        .withHttpMethod(request.method())
        .withPath("/" + stage + path)
        .withRequestId(UUID.randomUUID().toString())
        .withProtocol("HTTP/1.1")
        .withIdentity(identity);
    return new APIGatewayProxyRequestEvent()
        .withResource(route.resource())
        .withPath(path)
        .withHttpMethod(request.method())
        .withHeaders(headers)
        .withMultiValueHeaders(multiHeaders)
        .withQueryStringParameters(query)
        .withMultiValueQueryStringParameters(multiQuery)
        .withPathParameters(pathParameters.isEmpty() ? null : pathParameters)
        .withRequestContext(context)
        .withBody(request.body().length == 0 ? null : new String(request.body(), StandardCharsets.UTF_8))
        .withIsBase64Encoded(false);
  }

  /** The query's parameters, each decoded; a malformed escape throws. */
  private static Map<String, List<String>> query(String rawQuery) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return query;
  }

  private static Response response(APIGatewayProxyResponseEvent response) {
    byte[] bytes = response.getBody() == null ? new byte[0] : response.getBody().getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new LinkedHashMap<>();
    if (response.getHeaders() != null) {
      headers.putAll(response.getHeaders());
    }
    headers.put("x-amzn-RequestId", UUID.randomUUID().toString());
    return new Response(response.getStatusCode() == null ? 502 : response.getStatusCode(), headers, bytes);
  }

  /**
   * API Gateway's own answer: the gateway response declared for its type (or the default of its
   * class) with the error type in a header, as API Gateway sends it.
   */
  private static Response gatewayError(int status, String errorType, String responseType, String message) {
    GatewayResponses.Response declared = GatewayResponses.forType(responseType, status);
    return Response.json(declared.status() == null ? status : declared.status(),
        declared.body(responseType, message),
        Map.of("x-amzn-ErrorType", errorType, "x-amzn-RequestId", UUID.randomUUID().toString()));
  }

  private static Map<String, List<String>> lowerCase(Map<String, List<String>> headers) {
    Map<String, List<String>> lower = new HashMap<>();
    headers.forEach((k, v) -> lower.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>()).addAll(v));
    return lower;
  }

  /** Percent-decoding that refuses a malformed escape such as {@code %zz} (IllegalArgumentException naming it). */
  static String decode(String text) {
    for (int i = text.indexOf('%'); i >= 0; i = text.indexOf('%', i + 1)) {
      if (i + 2 >= text.length() || notHex(text.charAt(i + 1)) || notHex(text.charAt(i + 2))) {
        throw new IllegalArgumentException("'" + text.substring(i, Math.min(text.length(), i + 3))
            + "' is not a % followed by two hex digits");
      }
    }
    return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static boolean notHex(char c) {
    return Character.digit(c, 16) < 0;
  }

  @Override
  public void close() {
    server.close();
  }
}
