/** What a retriever would hand the reranker: 20 passages for one query (a vector store in a real app). */
export const QUERY = 'how does docker networking work';

export const CANDIDATES: string[] = [
  'Docker networking: bridge networks connect containers on one host.',
  'Kubernetes schedules pods onto nodes.',
  'Overlay networks make docker networking work across hosts.',
  'Python lists are ordered and mutable.',
  'Docker volumes keep data outside the container.',
  'A container publishes a port with -p host:container.',
  'Rust has no garbage collector.',
  'The host network driver removes isolation between container and host.',
  'PostgreSQL supports JSONB columns.',
  'User-defined bridge networks give containers DNS by name.',
  'Macvlan networks give a container its own MAC address.',
  'Git rebase rewrites commit history.',
  'Containers on the default bridge reach each other by IP only.',
  'TLS certificates expire and must be renewed.',
  'docker network ls lists the networks on a host.',
  'An ingress network balances swarm service traffic.',
  'CSS grid lays out two-dimensional pages.',
  'The none network driver disables networking for a container.',
  'Redis keeps its data set in memory.',
  'docker network connect attaches a running container to a network.',
];
