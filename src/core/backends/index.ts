export { backendDir, INSTALLABLE, type InstallableBackend } from './dir';
export { explainNpmFailure, installGpuBackend, type InstallOptions, type Installed } from './install';
