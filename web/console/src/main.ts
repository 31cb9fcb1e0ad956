import 'element-plus/theme-chalk/base.css';
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { createConsoleRouter } from './router.ts';
import { useQueueStore } from './stores/queue.ts';
import { useSessionStore } from './stores/session.ts';
import './styles.css';

const app = createApp(App);
app.use(createPinia());
// Nothing a signed-in user saw stays in memory once the session ends.
useSessionStore().onEnd(() => useQueueStore().clear());
app.use(createConsoleRouter());
app.mount('#app');
