/**
 * UI entry point: mounts the Svelte application into `#app` with the global stylesheet.
 */
import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

export default mount(App, { target });
