// Re-exported under stable names: import types from here, never from generated.ts directly.
export type {
  IrisopsConfig,
  DatasetRow,
  ModelFile,
  TrainResult,
  RunsList,
  RunDetail,
  RegistryList,
  PromoteResult,
  RegisterResult,
  PushResult,
  VerifyReport,
  InitResult,
  ReferenceProfile,
  DriftReport,
  UiExperiments,
  UiAliasRequest,
} from './generated.js';
