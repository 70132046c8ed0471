// Small pieces that are hard to reach over HTTP: the loopback check of the admin API, log
// redaction, fault path patterns and the rate limiter's bookkeeping.
import { FaultRegistry } from "../../emulator/faults";
import { isLoopback } from "../../emulator/http";
import { redact } from "../../emulator/log";
import { RateLimiter } from "../../emulator/rateLimit";

it("isLoopback accepts only loopback addresses", () => {
  for (const a of ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"]) expect(isLoopback(a)).toBe(true);
  for (const a of ["10.0.0.1", "192.168.1.1", "::ffff:10.0.0.1", "fe80::1", undefined])
    expect(isLoopback(a)).toBe(false);
});

it("redact removes token-shaped strings and bearer credentials", () => {
  expect(redact("GET /user/tokens/cfut_abcDEF123 from Bearer xyz.abc cfat_Q-9_z")).toBe(
    "GET /user/tokens/[redacted] from [redacted] [redacted]",
  );
});

it("fault patterns: * matches one path segment, ** any run; method and times are honoured", () => {
  const f = new FaultRegistry();
  f.add({ method: "delete", path: "/accounts/*/ai-search/tokens/*", status: 500, times: 1 });
  expect(f.take("GET", "/accounts/a/ai-search/tokens/b")).toBeUndefined();
  expect(f.take("DELETE", "/accounts/a/ai-search/tokens")).toBeUndefined();
  expect(f.take("DELETE", "/accounts/a/ai-search/tokens/b")?.spec.status).toBe(500);
  expect(f.take("DELETE", "/accounts/a/ai-search/tokens/b")).toBeUndefined();
  f.add({ method: "POST", path: "/accounts/*/tokens", status: 503 });
  expect(f.take("POST", "/accounts/a/ai-search/tokens")).toBeUndefined();
  expect(f.take("POST", "/accounts/a/tokens")).toBeDefined();
  f.add({ method: "PUT", path: "/accounts/**", status: 503 });
  expect(f.take("PUT", "/accounts/a/ai-search/instances/b")).toBeDefined();
  expect(f.take("PUT", "/user/tokens/x")).toBeUndefined();
  f.add({ path: "/x.y(z)", status: 400 });
  expect(f.take("GET", "/xAy(z)")).toBeUndefined();
  expect(f.take("GET", "/x.y(z)")).toBeDefined();
});

it("the rate limiter forgets idle tokens once it tracks many", () => {
  let now = 0;
  const rl = new RateLimiter({ enabled: true, quota: 2, windowSeconds: 1 }, () => now);
  for (let i = 0; i < 10_000; i++) rl.hit(`k${i}`);
  expect(rl.hit("k1").allowed).toBe(true);
  expect(rl.hit("k1").allowed).toBe(false);
  now = 1000;
  rl.hit("fresh"); // triggers a sweep of expired windows
  expect(rl.hit("k1").allowed).toBe(true);
});
