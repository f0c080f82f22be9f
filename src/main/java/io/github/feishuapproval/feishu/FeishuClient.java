package io.github.feishuapproval.feishu;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import okhttp3.HttpUrl;

/**
 * Calls Feishu's server API for one app. {@link #call} never blocks and never throws for anything Feishu or the
 * network does: the future always completes with an outcome.
 */
public final class FeishuClient implements AutoCloseable {

  private final FeishuHttp http;
  private final TenantTokenProvider tokens;
  private final ResponseClassifier classifier;
  private final ObjectMapper json;

  public FeishuClient(FeishuSettings settings, ObjectMapper json, Clock clock) {
    this.http = new FeishuHttp(settings);
    this.json = json;
    this.classifier = new ResponseClassifier(json, settings.defaultRateLimitWait());
    this.tokens = new TenantTokenProvider(http, settings, classifier, json, clock);
  }

  /**
   * Makes the call with the app's tenant token. A token Feishu rejects is dropped and the call made once more with a
   * fresh one.
   *
   * @throws IllegalArgumentException when a path parameter is not a plain id (checked before anything is sent)
   */
  public CompletableFuture<FeishuOutcome> call(ApiRequest request) {
    HttpUrl url = http.url(request.operation().segments(request.pathParams()));
    String body;
    try {
      body = json.writeValueAsString(request.body());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the request body cannot be written as JSON", e);
    }
    return attempt(url, body, true)
        .exceptionally(failure -> new FeishuOutcome.Transient(FeishuHttp.describe(failure), ""));
  }

  public TenantTokenProvider tokens() {
    return tokens;
  }

  private CompletableFuture<FeishuOutcome> attempt(HttpUrl url, String body, boolean firstTry) {
    return tokens.token().thenCompose(result -> switch (result) {
      case TokenResult.Refused refused -> CompletableFuture.completedFuture(refused.outcome());
      case TokenResult.Issued issued -> http.post(url, issued.token().value(), body)
          .handle((answer, failure) -> {
            if (failure != null) {
              return CompletableFuture.<FeishuOutcome>completedFuture(
                  new FeishuOutcome.Transient(FeishuHttp.describe(failure), ""));
            }
            ResponseClassifier.Verdict verdict = classifier.classifyApiAnswer(answer);
            if (verdict.tokenRejected()) {
              tokens.invalidate(issued.token());
              if (firstTry) return attempt(url, body, false);
            }
            return CompletableFuture.completedFuture(verdict.outcome());
          })
          .thenCompose(next -> next);
    });
  }

  @Override
  public void close() {
    http.close();
  }
}
