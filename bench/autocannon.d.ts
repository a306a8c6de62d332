/** The part of autocannon's API that the HTTP benchmarks use (the package ships no types). */
declare module "autocannon" {
  export interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total: number;
    p50: number;
    p90: number;
    p97_5: number;
    p99: number;
  }

  export interface Options {
    url: string;
    connections?: number;
    duration?: number;
    amount?: number;
    method?: "GET" | "POST";
    body?: string;
    headers?: Record<string, string>;
    timeout?: number;
    /** Keep the raw histograms in the result, to merge runs with aggregateResult. */
    skipAggregateResult?: boolean;
  }

  export interface Result {
    requests: Histogram;
    latency: Histogram;
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    "2xx": number;
    /** Responses per status code, e.g. statusCodeStats["503"].count. */
    statusCodeStats: Record<string, { count: number } | undefined>;
  }

  function autocannon(options: Options): Promise<Result>;
  namespace autocannon {
    /** Merges runs made with skipAggregateResult (e.g. one per server) into one result: latency percentiles over every request. */
    function aggregateResult(results: Result[], options: { url: string; connections?: number }): Result;
  }
  export default autocannon;
}
