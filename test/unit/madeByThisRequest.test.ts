// Telling an object a lost create made from one that existed before, on the API's clock.
import { apiTimeMs, madeByThisRequest } from "../../provider/madeByThisRequest";

describe("apiTimeMs", () => {
  it("reads RFC 3339 and the docs' zone-less form (UTC), and nothing else", () => {
    expect(apiTimeMs("2025-12-25T01:52:28.500Z")).toBe(Date.UTC(2025, 11, 25, 1, 52, 28, 500));
    expect(apiTimeMs("2025-12-25T02:52:28+01:00")).toBe(Date.UTC(2025, 11, 25, 1, 52, 28));
    expect(apiTimeMs("2025-12-25 01:52:28")).toBe(Date.UTC(2025, 11, 25, 1, 52, 28));
    expect(apiTimeMs("yesterday")).toBeUndefined();
    expect(apiTimeMs(null)).toBeUndefined();
  });
});

describe("madeByThisRequest", () => {
  const sent = Date.UTC(2026, 0, 1, 12, 0, 0, 400);
  it("compares on the API's clock: the measured skew moves the time the request was sent", () => {
    // The API's clock is 5 minutes behind: its creation time is 5 minutes before ours.
    expect(madeByThisRequest("2026-01-01 11:55:00", sent, -300_000)).toEqual({ made: true });
    expect(madeByThisRequest("2026-01-01 11:54:00", sent, -300_000)).toMatchObject({ made: false });
  });
  it("allows the second lost to whole-second timestamps, and no more", () => {
    expect(madeByThisRequest("2026-01-01 12:00:00", sent, 0)).toEqual({ made: true });
    expect(madeByThisRequest("2026-01-01 11:59:58", sent, 0)).toMatchObject({
      made: false,
      why: expect.stringContaining("2 s before this create was sent") as string,
    });
  });
  it("cannot show it without a creation time or a measured skew", () => {
    expect(madeByThisRequest(undefined, sent, 0)).toMatchObject({
      made: false,
      why: expect.stringContaining("created_at") as string,
    });
    expect(madeByThisRequest("2026-01-01 12:00:01", sent, undefined)).toMatchObject({
      made: false,
      why: expect.stringContaining("Date header") as string,
    });
  });
});
