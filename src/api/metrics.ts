/** Prometheus metrics for one app instance (its own registry: no global state between apps or tests). */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export class AppMetrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: "nba_http_requests_total",
    help: "HTTP requests by method, route and status",
    labelNames: ["method", "route", "status"] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: "nba_http_request_duration_seconds",
    help: "HTTP request latency by method and route",
    labelNames: ["method", "route"] as const,
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [this.registry],
  });
  readonly eventsIngested = new Counter({
    name: "nba_events_ingested_total",
    help: "Events received on ingest by outcome (accepted, duplicate, rejected)",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });

  readonly decisions = new Counter({
    name: "nba_decisions_total",
    help: "Decisions served, by whether they fell back to defaults",
    labelNames: ["fallback"] as const,
    registers: [this.registry],
  });
  readonly decisionFallbacks = new Counter({
    name: "nba_decision_fallbacks_total",
    help: "Dependencies that failed or timed out during a decision, by dependency",
    labelNames: ["dependency"] as const,
    registers: [this.registry],
  });
  readonly decisionLogFailures = new Counter({
    name: "nba_decision_log_failures_total",
    help: "Decisions whose log append failed (the decision was still served)",
    registers: [this.registry],
  });

  readonly rewards = new Counter({
    name: "nba_rewards_total",
    help: "Posted rewards by outcome (joined, duplicate, unknown_decision, action_not_served, window_closed)",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });
  readonly defaultRewards = new Counter({
    name: "nba_default_rewards_total",
    help: "Default rewards emitted for decisions whose reward window closed without a reward",
    registers: [this.registry],
  });

  readonly banditSnapshot = new Gauge({
    name: "nba_bandit_snapshot_info",
    help: "1 for the bandit snapshot version this process serves (none while cold)",
    labelNames: ["version"] as const,
    registers: [this.registry],
    // In cluster mode the primary aggregates the workers' registries: an info gauge stays 1.
    aggregator: "max",
  });
  readonly banditSnapshotsRefused = new Counter({
    name: "nba_bandit_snapshots_refused_total",
    help: "Bandit snapshots a replica refused (another context schema, malformed), so it kept serving its last",
    registers: [this.registry],
  });

  /** A replica swapped in a new bandit snapshot. */
  snapshotServed(version: string): void {
    this.banditSnapshot.reset();
    this.banditSnapshot.set({ version }, 1);
  }

  /** The reward service's view of these metrics. */
  rewardMetrics() {
    return {
      reward: (outcome: string) => this.rewards.inc({ outcome }),
      defaults: (count: number) => this.defaultRewards.inc(count),
    };
  }

  /** The decision pipeline's view of these metrics. */
  decisionMetrics() {
    return {
      decision: (o: { fallback: boolean }) => this.decisions.inc({ fallback: String(o.fallback) }),
      fallback: (dependency: string) => this.decisionFallbacks.inc({ dependency }),
      logFailure: () => this.decisionLogFailures.inc(),
    };
  }

  constructor(options: { collectDefaults?: boolean } = {}) {
    if (options.collectDefaults ?? true) collectDefaultMetrics({ register: this.registry, prefix: "nba_" });
  }
}
