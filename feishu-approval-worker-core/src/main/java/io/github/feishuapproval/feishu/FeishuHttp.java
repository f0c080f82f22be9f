package io.github.feishuapproval.feishu;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Non-blocking JSON POSTs to Feishu: the future completes on OkHttp's threads, never on the caller's. */
final class FeishuHttp implements AutoCloseable {

  static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final long MAX_BODY_BYTES = 1024 * 1024;

  private final OkHttpClient http;
  private final HttpUrl baseUrl;

  FeishuHttp(FeishuSettings settings) {
    this.baseUrl = HttpUrl.get(settings.baseUrl().toString());
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(settings.maxConcurrentRequests());
    dispatcher.setMaxRequestsPerHost(settings.maxConcurrentRequests());
    this.http = new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .connectionPool(new ConnectionPool(Math.max(5, settings.maxConcurrentRequests() / 4), 5, TimeUnit.MINUTES))
        .connectTimeout(settings.connectTimeout())
        .readTimeout(settings.readTimeout())
        .writeTimeout(settings.readTimeout())
        .callTimeout(settings.callTimeout())
        .retryOnConnectionFailure(false)
        .followRedirects(false)
        .build();
  }

  /** Builds {@code baseUrl + path} where every segment is percent-encoded and none may be a dot segment. */
  HttpUrl url(Iterable<String> segments) {
    HttpUrl.Builder url = baseUrl.newBuilder();
    for (String segment : segments) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("a path segment may not be empty, '.' or '..'");
      }
      url.addPathSegment(segment);
    }
    return url.build();
  }

  CompletableFuture<HttpAnswer> post(HttpUrl url, String bearerToken, String jsonBody) {
    return send(new Request.Builder().url(url).post(RequestBody.create(jsonBody, JSON)), bearerToken);
  }

  CompletableFuture<HttpAnswer> get(HttpUrl url, String bearerToken) {
    return send(new Request.Builder().url(url).get(), bearerToken);
  }

  private CompletableFuture<HttpAnswer> send(Request.Builder request, String bearerToken) {
    if (bearerToken != null) {
      request.header("Authorization", "Bearer " + bearerToken);
    }
    CompletableFuture<HttpAnswer> answer = new CompletableFuture<>();
    Call call = http.newCall(request.build());
    call.enqueue(new Callback() {
      @Override
      public void onFailure(Call c, IOException e) {
        answer.completeExceptionally(e);
      }

      @Override
      public void onResponse(Call c, Response response) {
        try (response) {
          String body = response.peekBody(MAX_BODY_BYTES).string();
          answer.complete(new HttpAnswer(response.code(), body, logId(response), resetSeconds(response)));
        } catch (IOException | RuntimeException e) {
          answer.completeExceptionally(e);
        }
      }
    });
    answer.whenComplete((a, e) -> {
      if (answer.isCancelled()) call.cancel();
    });
    return answer;
  }

  /** A short, secret-free description of why a call failed before Feishu answered. */
  static String describe(Throwable failure) {
    Throwable t = failure;
    while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) t = t.getCause();
    String what;
    if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException) what = "timed out";
    else if (t instanceof UnknownHostException) what = "unknown host";
    else if (t instanceof ConnectException) what = "connection refused";
    else if (t instanceof IOException) what = "connection failed";
    else what = "unexpected failure";
    String detail = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return what + " (" + detail + ")";
  }

  private static String logId(Response response) {
    String id = response.header("X-Tt-Logid");
    if (id == null || id.isBlank()) id = response.header("X-Request-Id");
    return id == null ? "" : id.trim();
  }

  private static Optional<Long> resetSeconds(Response response) {
    String reset = response.header("x-ogw-ratelimit-reset");
    if (reset == null) return Optional.empty();
    try {
      return Optional.of(Long.parseLong(reset.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
