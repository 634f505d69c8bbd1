/**
 * The check kinds the engine knows: kind name -> strategy, one module per kind. The registry is
 * complete by type: a kind in CHECK_KINDS without a strategy here does not compile.
 */
import type { CheckStrategies } from '../types.js';
import { containerKind } from './container.js';
import { daemonKind } from './daemon.js';
import { imageKind } from './image.js';
import { outputKind } from './output.js';
import { volumeKind } from './volume.js';
import { networkKind } from './network.js';
import { logsKind } from './logs.js';
import { execKind } from './exec.js';
import { portKind } from './port.js';
import { httpKind } from './http.js';
import { registryKind } from './registry.js';
import { composeKind } from './compose.js';
import { serviceKind } from './service.js';
import { fileKind } from './file.js';

export const CHECK_STRATEGIES: CheckStrategies = {
  output: outputKind,
  daemon: daemonKind,
  container: containerKind,
  image: imageKind,
  volume: volumeKind,
  network: networkKind,
  logs: logsKind,
  exec: execKind,
  port: portKind,
  http: httpKind,
  registry: registryKind,
  compose: composeKind,
  service: serviceKind,
  file: fileKind,
};
