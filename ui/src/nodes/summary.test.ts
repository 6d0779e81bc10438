import { describe, expect, it } from "vitest";
import { summary } from "./summary";

describe("a node's one-line summary", () => {
  it("reads the config as an analyst would", () => {
    expect(
      summary("task.http", { url: "https://api.example.com/v2/orders?x=1", method: "POST" }),
    ).toBe("POST api.example.com/v2/orders");
    expect(
      summary("task.http", { url: "{{ $vars.baseUrl }}/customers", pagination: { param: "page" } }),
    ).toBe("GET …/customers (paged)");
    expect(
      summary("task.sql", {
        query: "CREATE TABLE IF NOT EXISTS t (a); INSERT INTO customers (id) VALUES (:id)",
      }),
    ).toBe("INSERT customers");
    expect(summary("task.sql", { query: "select * from orders where x = 1" })).toBe(
      "SELECT orders",
    );
    expect(summary("condition.if", { condition: "{{ $input.total > 100 }}" })).toBe(
      "$input.total > 100",
    );
    expect(summary("trigger.schedule", { cron: "0 2 * * *", timezone: "UTC" })).toBe(
      "0 2 * * * UTC",
    );
    expect(summary("task.python", { code: "# score\nimport re\nreturn 1" })).toBe("import re");
    expect(summary("task.set", { values: { status: "ok", count: 3 } })).toBe("set status, count");
    expect(summary("task.log", { message: "x".repeat(80) })).toHaveLength(42);
    expect(summary("trigger.manual", {})).toBe("");
  });
});
