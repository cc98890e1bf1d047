package io.studiocp.sandbox;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small HTTP/1.1 server on a loopback port, for the sandbox's gateway. Unlike the JDK's own
 * server, which answers a request target it cannot parse as a URI (such as {@code /hosts/%zz})
 * with an HTML page before any handler runs, it hands every well-framed request to its handler as
 * sent, so the gateway answers everything in the API's JSON. Bodies come with Content-Length or
 * chunked; connections are kept alive; one virtual thread per connection.
 */
final class LoopbackHttpServer implements AutoCloseable {

  /** A request as it came: the raw target (path and query, still percent-encoded), header names as sent. */
  record Request(String method, String target, Map<String, List<String>> headers, byte[] body,
      InetSocketAddress remote) {

    /** The header's values, its name in any case. */
    List<String> header(String name) {
      List<String> values = new ArrayList<>();
      headers.forEach((k, v) -> {
        if (k.equalsIgnoreCase(name)) {
          values.addAll(v);
        }
      });
      return values;
    }

    String firstHeader(String name) {
      List<String> values = header(name);
      return values.isEmpty() ? null : values.getFirst();
    }

    String rawPath() {
      int q = target.indexOf('?');
      return q < 0 ? target : target.substring(0, q);
    }

    /** The raw query, or null when there is none. */
    String rawQuery() {
      int q = target.indexOf('?');
      return q < 0 ? null : target.substring(q + 1);
    }
  }

  record Response(int status, Map<String, String> headers, byte[] body) {

    static Response json(int status, String json, Map<String, String> headers) {
      Map<String, String> all = new LinkedHashMap<>(headers);
      all.put("Content-Type", "application/json");
      return new Response(status, all, json.getBytes(StandardCharsets.UTF_8));
    }
  }

  @FunctionalInterface
  interface Handler {
    Response handle(Request request) throws IOException;
  }

  static final int MAX_LINE = 16 * 1024;
  static final int MAX_HEADERS = 200;
  /** API Gateway's payload limit. */
  static final int MAX_BODY = 10 * 1024 * 1024;
  private static final int IDLE_MILLIS = 60_000;

  private final ServerSocket socket;
  private final Handler handler;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  LoopbackHttpServer(int port, int backlog, Handler handler) throws IOException {
    this.handler = handler;
    this.socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), backlog);
    executor.execute(this::accept);
  }

  int port() {
    return socket.getLocalPort();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket connection = socket.accept();
        executor.execute(() -> serve(connection));
      } catch (IOException e) {
        if (socket.isClosed()) {
          return;
        }
      }
    }
  }

  /** Why a request cannot be read; answered with its status and the connection closed. */
  private static final class Malformed extends Exception {
    final int status;

    Malformed(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  private void serve(Socket connection) {
    try (connection) {
      connection.setSoTimeout(IDLE_MILLIS);
      InputStream in = new BufferedInputStream(connection.getInputStream());
      OutputStream out = connection.getOutputStream();
      InetSocketAddress remote = (InetSocketAddress) connection.getRemoteSocketAddress();
      boolean open = true;
      while (open) {
        Request request;
        String version;
        try {
          String line = readLine(in);
          if (line == null) {
            return;
          }
          String[] parts = line.split(" ", -1);
          if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || !parts[2].startsWith("HTTP/1.")) {
            throw new Malformed(400, "the request line is not 'METHOD target HTTP/1.1'");
          }
          version = parts[2];
          Map<String, List<String>> headers = readHeaders(in);
          request = new Request(parts[0], parts[1], headers, null, remote);
          if ("100-continue".equalsIgnoreCase(request.firstHeader("Expect"))) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
          }
          request = new Request(parts[0], parts[1], headers, readBody(in, request), remote);
        } catch (Malformed e) {
          write(out, "GET", Response.json(e.status, "{\"error\":\"BadRequest\",\"message\":\""
              + e.getMessage().replace("\"", "'") + "\"}", Map.of()), true);
          return;
        }
        String connectionHeader = String.valueOf(request.firstHeader("Connection")).toLowerCase(Locale.ROOT);
        open = version.equals("HTTP/1.1") ? !connectionHeader.equals("close") : connectionHeader.equals("keep-alive");
        Response response;
        try {
          response = handler.handle(request);
        } catch (RuntimeException | IOException e) {
          response = Response.json(500, "{\"error\":\"InternalError\",\"message\":\"the sandbox's gateway failed: "
              + String.valueOf(e.getMessage()).replace("\"", "'").replace("\\", "/") + "\"}", Map.of());
        }
        write(out, request.method(), response, !open);
      }
    } catch (SocketTimeoutException | SocketException e) {
      // idle or gone: nothing to answer
    } catch (IOException e) {
      // the client went away mid-request
    }
  }

  private static Map<String, List<String>> readHeaders(InputStream in) throws IOException, Malformed {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int count = 0; ; count++) {
      String line = readLine(in);
      if (line == null) {
        throw new Malformed(400, "the request ended inside its headers");
      }
      if (line.isEmpty()) {
        return headers;
      }
      int colon = line.indexOf(':');
      if (count >= MAX_HEADERS || colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        throw new Malformed(400, count >= MAX_HEADERS ? "too many headers" : "a header line is malformed");
      }
      String name = line.substring(0, colon);
      for (String existing : headers.keySet()) {
        if (existing.equalsIgnoreCase(name)) {
          name = existing;
          break;
        }
      }
      headers.computeIfAbsent(name, k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
    }
  }

  private static byte[] readBody(InputStream in, Request request) throws IOException, Malformed {
    String encoding = request.firstHeader("Transfer-Encoding");
    if (encoding != null) {
      if (!encoding.equalsIgnoreCase("chunked")) {
        throw new Malformed(501, "Transfer-Encoding " + encoding + " is not supported; send chunked or Content-Length");
      }
      return readChunked(in);
    }
    List<String> lengths = request.header("Content-Length");
    if (lengths.isEmpty()) {
      return new byte[0];
    }
    long length;
    try {
      length = lengths.stream().map(String::strip).distinct().map(Long::parseLong).reduce((a, b) -> -1L).orElseThrow();
    } catch (NumberFormatException e) {
      throw new Malformed(400, "Content-Length is not a number");
    }
    if (length < 0) {
      throw new Malformed(400, "Content-Length is negative or given twice with different values");
    }
    if (length > MAX_BODY) {
      throw new Malformed(413, "the body is larger than " + MAX_BODY + " bytes");
    }
    byte[] body = in.readNBytes((int) length);
    if (body.length != length) {
      throw new Malformed(400, "the body is shorter than its Content-Length");
    }
    return body;
  }

  private static byte[] readChunked(InputStream in) throws IOException, Malformed {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String line = readLine(in);
      int size;
      try {
        size = Integer.parseInt((line == null ? "" : line.split(";", 2)[0]).strip(), 16);
      } catch (NumberFormatException e) {
        throw new Malformed(400, "a chunk size is malformed");
      }
      if (size < 0 || body.size() + (long) size > MAX_BODY) {
        throw new Malformed(413, "the body is larger than " + MAX_BODY + " bytes");
      }
      if (size == 0) {
        while (true) {
          String trailer = readLine(in);
          if (trailer == null || trailer.isEmpty()) {
            return body.toByteArray();
          }
        }
      }
      byte[] chunk = in.readNBytes(size);
      if (chunk.length != size || !"".equals(readLine(in))) {
        throw new Malformed(400, "a chunk is shorter than its size");
      }
      body.writeBytes(chunk);
    }
  }

  /** A line up to CRLF (or LF), in ISO-8859-1; null at the end of the stream before any byte. */
  private static String readLine(InputStream in) throws IOException, Malformed {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
      }
      if (line.size() >= MAX_LINE) {
        throw new Malformed(431, "a request line or header is longer than " + MAX_LINE + " bytes");
      }
      line.write(b);
    }
    if (line.size() > 0) {
      throw new Malformed(400, "the request ended inside a line");
    }
    return null;
  }

  private static void write(OutputStream out, String method, Response response, boolean close) throws IOException {
    StringBuilder head = new StringBuilder("HTTP/1.1 ").append(response.status()).append(' ')
        .append(reason(response.status())).append("\r\n");
    response.headers().forEach((k, v) -> {
      if (!k.equalsIgnoreCase("Content-Length") && !k.equalsIgnoreCase("Connection")
          && !k.equalsIgnoreCase("Transfer-Encoding")) {
        head.append(k).append(": ").append(v.replace("\r", " ").replace("\n", " ")).append("\r\n");
      }
    });
    byte[] body = response.body() == null ? new byte[0] : response.body();
    head.append("Content-Length: ").append(body.length).append("\r\n");
    if (close) {
      head.append("Connection: close\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (!method.equals("HEAD")) {
      out.write(body);
    }
    out.flush();
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 202 -> "Accepted";
      case 400 -> "Bad Request";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 413 -> "Payload Too Large";
      case 415 -> "Unsupported Media Type";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
    executor.shutdownNow();
  }
}
