/** Data sets Hone can find or fetch on request (never at run time). */
export { CLONE_MNIST_SHA256, MNIST_FILES, MNIST_MIRRORS, MNIST_SHA256, badMnistFiles, mnistCopyIn, fetchMnist, findMnist, mnistDir, mnistFileIn, hasMnist, mnistFolders, userMnistDir, type FetchOptions, type MnistCopy, type MnistSums } from './mnist';
