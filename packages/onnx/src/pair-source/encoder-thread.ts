/**
 * The encoder role of a crossrank worker thread (the thread `ThreadPairSource` starts): holds one
 * `ModelEncoder` and answers each request with ids in transferred arrays. Nothing here touches
 * ONNX Runtime, so ending this thread at any moment is safe.
 */
import type { FromWorker, ToWorker } from '../worker/protocol.js';
import { serializeError } from '../worker/serialized-error.js';
import { lowerThreadPriority } from '../worker/worker-priority.js';
import { toWire, wireBuffers } from './encode-request.js';
import { ModelEncoder } from './model-encoder.js';

type Send = (message: FromWorker, transfer?: ArrayBuffer[]) => void;

const TOKENIZING = 'Tokenizing';

let encoder: ModelEncoder | undefined;

/** Handles an encoder message; false for messages of the session role. */
export function handleEncoderMessage(message: ToWorker, send: Send): boolean {
  switch (message.type) {
    case 'open-encoder':
      // Tokenizing competes for the cores with the calling thread as forward passes do: same priority as the session workers.
      lowerThreadPriority(message.nice);
      ModelEncoder.open(message.location, message.options).then(
        (opened) => {
          encoder = opened;
          send({ type: 'encoder-opened', info: opened.info });
        },
        (error: unknown) => send({ type: 'encoder-failed', error: serializeError(error, TOKENIZING) }),
      );
      return true;
    case 'encode':
      try {
        const items = encoder!.begin(message.request);
        const wire = toWire(items.encode(0, items.count));
        send({ type: 'encoded', id: message.id, wire }, wireBuffers(wire));
      } catch (error) {
        send({ type: 'encode-failed', id: message.id, error: serializeError(error, TOKENIZING) });
      }
      return true;
    case 'plan-windows':
      try {
        const plan = encoder!.planWindows(message.query, message.documents);
        send({ type: 'windows-planned', id: message.id, plan }, [plan.owners.buffer as ArrayBuffer, plan.starts.buffer as ArrayBuffer, plan.ends.buffer as ArrayBuffer]);
      } catch (error) {
        send({ type: 'encode-failed', id: message.id, error: serializeError(error, TOKENIZING) });
      }
      return true;
    default:
      return false;
  }
}
