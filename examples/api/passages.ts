/**
 * A handful of passages for the API and fallback examples: one answers the default query, the
 * others are near misses (same words, different question) that a reranker should push down.
 */
export const DEFAULT_QUERY = 'How do I keep a Docker container running after I close the terminal?';

export const PASSAGES: readonly string[] = [
  'docker run -it starts a container attached to your terminal; closing the terminal sends SIGHUP and the container stops with it.',
  'Run the container detached with docker run -d: it keeps running in the background after the terminal closes, and docker logs -f shows its output.',
  'A restart policy such as --restart unless-stopped makes Docker start the container again after it exits or the daemon restarts.',
  'docker stop sends SIGTERM to the main process and, after a grace period of 10 seconds, SIGKILL.',
  'tmux and screen keep a shell session alive on a server after you disconnect, so long-running commands survive a closed SSH terminal.',
  'Kubernetes restarts a failed container according to the pod restartPolicy: Always, OnFailure or Never.',
  'docker attach connects your terminal to a running container; detach again without stopping it with Ctrl-P Ctrl-Q.',
  'Docker Compose up -d starts every service of the compose file in the background.',
];
