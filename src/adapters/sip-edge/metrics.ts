/** The edge's Prometheus metrics, in a registry of its own (the edge is a process of its own). */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AgentCallResult } from '../../app/edge/agent-calls.js';
import type { EdgeMetricsPort } from '../../app/edge/edge-calls.js';
import type { RegistrarMetrics } from '../../app/edge/registrar.js';
import type { NodeBoard } from '../../core/edge/index.js';

export interface EdgeMetrics {
  readonly registry: Registry;
  readonly port: EdgeMetricsPort;
  readonly registrar: RegistrarMetrics;
  readonly agentCalls: { agentCall(result: AgentCallResult): void };
  /** A request whose User-Agent is a known SIP scanner, by method. */
  scanner(method: string): void;
}

export function edgeMetrics(board: NodeBoard): EdgeMetrics {
  const registry = new Registry();
  const decision = new Histogram({
    name: 'hotline_edge_decision_seconds', help: 'Time to decide on one INVITE in the application (trunk, number, route)',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01], registers: [registry],
  });
  const refused = new Counter({ name: 'hotline_edge_refused_total', help: 'INVITEs refused at the edge, by reason', labelNames: ['reason', 'trunk'], registers: [registry] });
  const offered = new Counter({ name: 'hotline_edge_offered_total', help: 'Calls offered to a FreeSWITCH node, per trunk and node', labelNames: ['trunk', 'node'], registers: [registry] });
  const connected = new Counter({ name: 'hotline_edge_connected_total', help: 'Calls a node answered, per trunk and node', labelNames: ['trunk', 'node'], registers: [registry] });
  const failovers = new Counter({ name: 'hotline_edge_failovers_total', help: 'Calls moved on from a node that timed out or answered 5xx', labelNames: ['node', 'status'], registers: [registry] });
  new Gauge({
    name: 'hotline_edge_node_sessions', help: 'Calls in progress per node through this edge', labelNames: ['node'], registers: [registry],
    collect() { for (const n of board.view()) this.set({ node: n.name }, n.sessions); },
  });
  new Gauge({
    name: 'hotline_edge_node_up', help: '1 when the node answers keep-alives and takes calls (not draining)', labelNames: ['node'], registers: [registry],
    collect() { for (const n of board.view()) this.set({ node: n.name }, n.state !== 'down' && !n.draining ? 1 : 0); },
  });
  const port: EdgeMetricsPort = {
    decided: (seconds) => decision.observe(seconds),
    refused: (reason, trunk) => refused.inc({ reason, trunk: trunk ?? 'none' }),
    offered: (trunk, node) => offered.inc({ trunk, node }),
    connected: (trunk, node) => connected.inc({ trunk, node }),
    failedOver: (node, status) => failovers.inc({ node, status: status === undefined ? 'timeout' : String(status) }),
  };
  const registers = new Counter({ name: 'hotline_edge_register_total', help: 'REGISTERs answered, by outcome (challenged, registered, unregistered, queried)', labelNames: ['outcome'], registers: [registry] });
  const registerRefused = new Counter({ name: 'hotline_edge_register_refused_total', help: 'REGISTERs refused, by reason (flood, scanner, auth…)', labelNames: ['reason'], registers: [registry] });
  const agentCalls = new Counter({ name: 'hotline_edge_agent_calls_total', help: 'Nodes\' INVITEs to agents through the edge, by result', labelNames: ['result'], registers: [registry] });
  const scanners = new Counter({ name: 'hotline_edge_scanner_requests_total', help: 'Requests from known SIP scanner User-Agents, by method', labelNames: ['method'], registers: [registry] });
  // Present from the start, so a rate() over them is defined before the first flood.
  for (const reason of ['flood', 'scanner', 'auth']) registerRefused.inc({ reason }, 0);
  return {
    registry,
    port,
    registrar: { outcome: (outcome) => registers.inc({ outcome }), refused: (reason) => registerRefused.inc({ reason }) },
    agentCalls: { agentCall: (result) => agentCalls.inc({ result }) },
    scanner: (method) => scanners.inc({ method: method.slice(0, 16) }),
  };
}
