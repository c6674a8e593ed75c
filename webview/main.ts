/** The dashboard webview's entry point (bundled to dist/webview.js and dist/webview.css). */
import './style.css';
import { startApp } from './app';
import { connectHost } from './host';

startApp(document.getElementById('app')!, connectHost());
