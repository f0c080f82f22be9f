package io.github.feishuapproval.reliability;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.feishuapproval.feishu.BaseUrls;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The base URL is configuration only (that process data cannot move a call is shown in {@link HostileInputTest}). The
 * app secret and the tenant token travel to it, so it must be HTTPS; plain HTTP only to this machine, where the
 * sandbox and the tests run the simulator.
 */
class BaseUrlPolicyTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "https://open.feishu.cn", "https://open.larksuite.com", "https://open.feishu.cn/",
      "http://localhost:9000", "HTTP://LOCALHOST:9000", "http://127.0.0.1:9000", "http://[::1]:9000"})
  void httpsOrLoopbackIsAccepted(String baseUrl) {
    assertThatCode(() -> BaseUrls.requireSafe(URI.create(baseUrl))).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "http://open.feishu.cn", "http://open.larksuite.com:80", "http://10.0.0.5:8080", "http://192.168.1.10",
      "http://0.0.0.0:9000", "http://localhost.example.com", "ftp://open.feishu.cn", "ws://open.feishu.cn"})
  void plainHttpToAnyOtherHostIsRefused(String baseUrl) {
    assertThatThrownBy(() -> BaseUrls.requireSafe(URI.create(baseUrl)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "https://user:password@open.feishu.cn", "http://localhost@evil.example", "http://evil.example#@localhost",
      "https://open.feishu.cn?redirect=http://evil.example", "open.feishu.cn", "//open.feishu.cn", "file:///etc/hosts"})
  void urlsThatHideTheirHostOrAreNotAbsoluteAreRefused(String baseUrl) {
    assertThatThrownBy(() -> BaseUrls.requireSafe(URI.create(baseUrl))).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1.example.com", "http://127.evil.example:8080"})
  void hostNamesThatOnlyBeginLikeALoopbackAddressAreRefused(String baseUrl) {
    assertThatThrownBy(() -> BaseUrls.requireSafe(URI.create(baseUrl)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
  }
}
