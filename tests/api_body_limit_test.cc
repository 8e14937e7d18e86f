// Request bodies against an attacker (issue #14, High 1): a chunked body
// passes --max-body no more than one with a Content-Length, and a request
// that will be refused for its headers (no token, a Content-Length over the
// limit, a chunked body to a route that does not stream) is answered before
// its body is read, on a connection that is then closed. The client is a raw
// non-blocking socket that keeps sending while it watches for the answer, so
// the test sees how much the server took before it answered.
#include <fcntl.h>
#include <poll.h>

#include <chrono>
#include <iostream>

#include "api_test_util.h"

namespace accord::testing {
namespace {

struct RawAnswer {
  int status = 0;      // 0: no answer
  uint64_t sent = 0;   // body bytes the client got into the socket
  double seconds = 0;  // from connect to the first byte of the answer
  std::string text;    // the whole answer as read
};

// Sends `head` (request line and headers, ending in a blank line), then up to
// `total` bytes of body: chunked in 64 KiB chunks if `chunked`, else raw.
// Stops sending as soon as the server answers or the connection fails.
RawAnswer SendBody(int port, const std::string& head, uint64_t total, bool chunked) {
  RawAnswer out;
  auto start = std::chrono::steady_clock::now();
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return out;
  }
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  std::string pending = head;
  const std::string piece(64 << 10, ' ');
  bool finished = false, answered = false;
  auto deadline = start + std::chrono::seconds(30);
  while (!answered && std::chrono::steady_clock::now() < deadline) {
    if (pending.empty() && !finished) {
      if (out.sent >= total) {
        pending = chunked ? "0\r\n\r\n" : "";
        finished = true;
      } else {
        uint64_t n = std::min<uint64_t>(piece.size(), total - out.sent);
        char size[32];
        snprintf(size, sizeof size, "%llx\r\n", static_cast<unsigned long long>(n));
        pending = chunked ? size + piece.substr(0, n) + "\r\n" : piece.substr(0, n);
        out.sent += n;
      }
    }
    pollfd p{fd, static_cast<short>(POLLIN | (pending.empty() ? 0 : POLLOUT)), 0};
    if (poll(&p, 1, 100) <= 0) continue;
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
      answered = true;
      break;
    }
    if (p.revents & POLLOUT) {
      ssize_t n = send(fd, pending.data(), pending.size(), MSG_NOSIGNAL);
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
        answered = true;  // the server closed; read what it said
        break;
      }
      if (n > 0) pending.erase(0, static_cast<size_t>(n));
    }
  }
  // Counts only what left the client, not the piece still pending.
  if (!pending.empty() && out.sent > 0 && !finished) {
    out.sent -= std::min<uint64_t>(out.sent, pending.size());
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char buf[4096];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof buf, 0)) > 0) {
    out.text.append(buf, static_cast<size_t>(n));
    size_t end = out.text.find("\r\n\r\n");
    if (end == std::string::npos) continue;
    size_t cl = out.text.find("Content-Length: ");
    if (cl != std::string::npos && cl < end &&
        out.text.size() >= end + 4 + std::stoul(out.text.substr(cl + 16))) {
      break;
    }
  }
  close(fd);
  if (out.text.starts_with("HTTP/1.1 ")) out.status = std::stoi(out.text.substr(9, 3));
  return out;
}

std::string Head(const std::string& path, const std::string& token, const std::string& framing) {
  std::string h = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                  "Content-Type: application/x-ndjson\r\n" + framing + "\r\n";
  if (!token.empty()) h += "Authorization: Bearer " + token + "\r\n";
  return h + "\r\n";
}

class ApiBodyLimitTest : public ApiServerTest {};

constexpr uint64_t kFlood = 96ull << 20;  // the server's --max-body is 64 KiB

TEST_F(ApiBodyLimitTest, ChunkedFloodWithoutTokenIs401BeforeTheBodyIsRead) {
  uint64_t before = LogSize(s_->db);
  RawAnswer a =
      SendBody(s_->port, Head("/v1/events", "", "Transfer-Encoding: chunked"), kFlood, true);
  EXPECT_EQ(a.status, 401) << a.text.substr(0, 300);
  std::cout << "[ body limit ] anonymous chunked flood: answered after " << a.sent
            << " bytes sent, " << a.seconds << " s\n";
  EXPECT_NE(a.text.find("unauthenticated"), std::string::npos) << a.text.substr(0, 300);
  // Answered long before the flood was through: socket buffers hold a few
  // MiB; the rest the server never read.
  EXPECT_LT(a.sent, kFlood / 2) << "sent " << a.sent << " bytes in " << a.seconds << " s";
  EXPECT_NE(a.text.find("Connection: close"), std::string::npos) << a.text.substr(0, 300);
  EXPECT_EQ(LogSize(s_->db), before);
  EXPECT_EQ(s_->Get("", "/v1/health")->status, 200);
}

TEST_F(ApiBodyLimitTest, ChunkedFloodWithTokenIs413AtTheLimit) {
  uint64_t before = LogSize(s_->db);
  RawAnswer a = SendBody(
      s_->port, Head("/v1/events", s_->users.token["ru-officer"], "Transfer-Encoding: chunked"),
      kFlood, true);
  EXPECT_EQ(a.status, 413) << a.text.substr(0, 300);
  EXPECT_NE(a.text.find("payload_too_large"), std::string::npos) << a.text.substr(0, 300);
  EXPECT_NE(a.text.find("--max-body"), std::string::npos) << a.text.substr(0, 300);
  std::cout << "[ body limit ] authenticated chunked flood: answered after " << a.sent
            << " bytes sent, " << a.seconds << " s\n";
  EXPECT_LT(a.sent, kFlood / 2) << "sent " << a.sent << " bytes in " << a.seconds << " s";
  EXPECT_EQ(LogSize(s_->db), before);
}

TEST_F(ApiBodyLimitTest, OversizedContentLengthIs413WithoutReadingIt) {
  // Announces 1 GB and sends nothing: the answer may not wait for it.
  RawAnswer a = SendBody(
      s_->port, Head("/v1/events", s_->users.token["ru-officer"], "Content-Length: 1000000000"), 0,
      false);
  EXPECT_EQ(a.status, 413) << a.text.substr(0, 300);
  EXPECT_LT(a.seconds, 3.0);
  // The same without a token: 401, also at once.
  a = SendBody(s_->port, Head("/v1/events", "", "Content-Length: 1000000000"), 0, false);
  EXPECT_EQ(a.status, 401) << a.text.substr(0, 300);
  EXPECT_LT(a.seconds, 3.0);
  // And to a route that takes no body.
  a = SendBody(s_->port, Head("/v1/contracts", "", "Content-Length: 1000000000"), 0, false);
  EXPECT_EQ(a.status, 413) << a.text.substr(0, 300);
  EXPECT_LT(a.seconds, 3.0);
}

TEST_F(ApiBodyLimitTest, ChunkedBodyToAnotherRouteIsRefusedUnread) {
  RawAnswer a =
      SendBody(s_->port, Head("/v1/contracts", "", "Transfer-Encoding: chunked"), kFlood, true);
  EXPECT_EQ(a.status, 411) << a.text.substr(0, 300);
  EXPECT_LT(a.sent, kFlood / 2) << "sent " << a.sent << " bytes in " << a.seconds << " s";
}

TEST_F(ApiBodyLimitTest, ChunkedEventWithinTheLimitIsRecorded) {
  uint64_t before = LogSize(s_->db);
  std::string ev = BodyEvent("RU", "chunked-1");
  char size[32];
  snprintf(size, sizeof size, "%zx", ev.size());
  std::string req = Head("/v1/events", s_->users.token["ru-officer"],
                         "Transfer-Encoding: chunked\r\nConnection: close") +
                    size + "\r\n" + ev + "\r\n0\r\n\r\n";
  std::string answer = RawRequest(s_->port, req);
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 201")) << answer;
  EXPECT_EQ(LogSize(s_->db), before + 1);
  // Both framings at once are refused (request smuggling).
  req = Head("/v1/events", s_->users.token["ru-officer"],
             "Transfer-Encoding: chunked\r\nContent-Length: 5") +
        "0\r\n\r\n";
  answer = RawRequest(s_->port, req);
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 400")) << answer;
}

}  // namespace
}  // namespace accord::testing
