/** Data sets Hone can find or fetch on request (never at run time). */
export { MNIST_FILES, MNIST_MIRRORS, MNIST_SHA256, badMnistFiles, fetchMnist, findMnist, mnistDir, mnistFileIn, hasMnist, mnistFolders, userMnistDir, type FetchOptions } from './mnist';
