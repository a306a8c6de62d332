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
  export default autocannon;
}
