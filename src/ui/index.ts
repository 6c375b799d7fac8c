/** The web UI (`irisops ui`): its server, and the guards a caller may need to explain. */
export {
  startUiServer,
  CONTENT_SECURITY_POLICY,
  type RunningUi,
  type UiServerOptions,
} from './server.js';
export { isLoopback } from './guard.js';
