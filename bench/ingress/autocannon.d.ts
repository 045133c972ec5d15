/** The part of autocannon's API the ingress bench uses (the package ships no types). */
declare module "autocannon" {
  type Histogram = { average: number; mean: number; stddev: number; min: number; max: number; total: number; p50: number; p90: number; p99: number; p99_9: number };
  type Request = { method?: string; path?: string; body?: string; headers?: Record<string, string>; setupRequest?: (req: Request, context: Record<string, unknown>) => Request };
  type Options = { url: string; connections?: number; duration?: number; amount?: number; pipelining?: number; method?: string; body?: string; headers?: Record<string, string>; requests?: Request[]; timeout?: number };
  type Result = { requests: Histogram; latency: Histogram; throughput: Histogram; errors: number; timeouts: number; non2xx: number; "2xx": number; duration: number };
  function autocannon(o: Options): Promise<Result>;
  export default autocannon;
}
