// The chat panel's CSS (see styles.ts), kept out of the script-tag loader.
import { LAUNCHER_CSS } from "./styles";

export const APP_CSS = `${LAUNCHER_CSS}
.nw-panel{position:fixed;bottom:calc(var(--nw-y) + 70px);right:var(--nw-x);z-index:var(--nw-z);width:376px;max-width:calc(100vw - 2 * var(--nw-x));height:min(640px,calc(100vh - var(--nw-y) - 90px));display:flex;flex-direction:column;background:#fff;border-radius:16px;box-shadow:0 12px 48px rgba(0,0,0,.25);overflow:hidden}
.nw.left .nw-panel{right:auto;left:var(--nw-x)}
.nw.bare .nw-panel{bottom:var(--nw-y);height:min(640px,calc(100vh - 2 * var(--nw-y)))}
@media (max-width:480px),(max-height:500px){.nw-panel,.nw.left .nw-panel,.nw.bare .nw-panel{inset:0;width:100%;max-width:none;height:100%;border-radius:0}.nw.open .nw-launcher,.nw.open .nw-preview{display:none}}
.nw-head{background:var(--nw-primary);color:var(--nw-on);padding:14px 12px 14px 18px;display:flex;gap:6px;align-items:flex-start}
.nw-head-text{flex:1;min-width:0}
.nw-head h2{margin:0;font-size:17px;font-weight:600;line-height:1.3}
.nw-head p{margin:4px 0 0;opacity:.92;font-size:13px}
.nw-avail{display:flex;align-items:center;gap:6px;font-size:12px;margin-top:8px}
.nw-dot{width:8px;height:8px;border-radius:50%;background:#9ca3af;flex:none}
.nw-dot.on{background:#22c55e}
.nw-icon{background:transparent;border:0;color:inherit;width:34px;height:34px;border-radius:8px;display:inline-flex;align-items:center;justify-content:center;cursor:pointer;flex:none;padding:0}
.nw-icon:hover{background:rgba(127,127,127,.18)}
.nw-icon svg{width:20px;height:20px;display:block}
.nw-banner{background:#fef3c7;color:#78350f;font-size:12px;padding:6px 12px;text-align:center}
.nw-notice{background:#fee2e2;color:#7f1d1d;font-size:12px;padding:6px 12px;display:flex;justify-content:space-between;gap:8px}
.nw-notice button{background:none;border:0;color:inherit;cursor:pointer;text-decoration:underline;padding:0}
.nw-body{flex:1;min-height:0;display:flex;flex-direction:column;background:#f8fafc}
.nw-log{flex:1;overflow-y:auto;padding:16px 12px 8px;display:flex;flex-direction:column;gap:4px}
.nw-row{display:flex;flex-direction:column;max-width:82%}
.nw-row.me{align-self:flex-end;align-items:flex-end}
.nw-row.them{align-self:flex-start;align-items:flex-start}
.nw-msg{padding:8px 12px;border-radius:16px;overflow-wrap:anywhere;word-break:break-word}
.nw-row.them .nw-msg{background:#fff;border:1px solid #e5e7eb;border-bottom-left-radius:4px;color:#111827}
.nw-row.me .nw-msg{background:var(--nw-primary);color:var(--nw-on);border-bottom-right-radius:4px}
.nw-row.me .nw-msg a{color:inherit}
.nw-row.pending .nw-msg{opacity:.65}
.nw-row.failed .nw-msg{background:#fee2e2;color:#7f1d1d}
.nw-meta{font-size:11px;color:#6b7280;margin:2px 4px 6px;display:flex;gap:6px;align-items:center}
.nw-meta button{background:none;border:0;padding:0;color:#b91c1c;text-decoration:underline;cursor:pointer;font-size:11px}
.nw-name{font-size:11px;color:#6b7280;margin:4px 4px 2px}
.nw-msg p,.nw-msg ul,.nw-msg ol,.nw-msg pre,.nw-msg blockquote{margin:0}
.nw-msg>*+*{margin-top:6px}
.nw-msg strong.nw-h{display:block}
.nw-msg a{color:#1d4ed8;text-decoration:underline}
.nw-msg pre{background:rgba(0,0,0,.06);padding:8px;border-radius:6px;overflow-x:auto;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;white-space:pre}
.nw-msg code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em;background:rgba(0,0,0,.07);padding:1px 4px;border-radius:4px}
.nw-msg pre code{background:none;padding:0}
.nw-msg ul,.nw-msg ol{padding-left:20px}
.nw-msg blockquote{padding-left:8px;border-left:3px solid rgba(127,127,127,.4)}
.nw-files{display:flex;flex-direction:column;gap:4px;margin-top:6px}
.nw-files img{max-width:100%;max-height:220px;border-radius:8px;display:block}
.nw-files a{color:inherit}
.nw-quick{display:flex;flex-wrap:wrap;gap:6px;margin:4px 0 6px;padding:0;list-style:none}
.nw-quick button{border:1px solid var(--nw-primary);color:var(--nw-primary);background:#fff;border-radius:16px;padding:6px 12px;cursor:pointer;font-size:13px}
.nw-quick button:hover{background:var(--nw-primary);color:var(--nw-on)}
.nw-typing{font-size:12px;color:#6b7280;padding:2px 16px 6px;min-height:20px}
.nw-ai{display:inline-block;font-size:10px;font-weight:700;letter-spacing:.04em;line-height:1;padding:2px 4px;border-radius:4px;background:#ede9fe;color:#5b21b6;vertical-align:1px}
.nw-typing .nw-ai{margin-right:4px}
.nw-from{font-size:11px;color:#4b5563;margin:6px 4px 2px;display:flex;align-items:center;gap:4px}
.nw-row.bot .nw-msg{border-color:#ddd6fe}
.nw-typing.bot{color:#5b21b6}
.nw-sources{font-size:12px;color:#6b7280;margin:4px 4px 2px}
.nw-sources ul{margin:2px 0 0;padding:0 0 0 16px}
.nw-sources a{color:#1d4ed8;text-decoration:underline;overflow-wrap:anywhere}
.nw-system{align-self:center;font-size:12px;color:#4b5563;background:#eef2ff;border-radius:10px;padding:6px 10px;margin:6px 0;text-align:center}
.nw-handoff{display:flex;justify-content:center;padding:0 10px 6px;background:#f8fafc}
.nw-handoff button{border:1px solid #d1d5db;background:#fff;color:#111827;border-radius:16px;padding:5px 12px;cursor:pointer;font-size:13px}
.nw-handoff button:hover{border-color:var(--nw-primary)}
.nw-handoff button:disabled{opacity:.6;cursor:default}
.nw-away{margin:0 0 8px;padding:10px 12px;border-radius:10px;background:#fff7ed;color:#7c2d12;font-size:13px}
.nw-form{padding:12px;border-top:1px solid #e5e7eb;background:#fff;display:flex;flex-direction:column;gap:8px}
.nw-form p{margin:0;font-size:13px;color:#374151}
.nw-form-row{display:flex;gap:6px}
.nw-input{flex:1;min-width:0;border:1px solid #d1d5db;border-radius:10px;padding:8px 10px;font:inherit;color:#111827;background:#fff;outline:none;margin:0}
.nw-input:focus{border-color:var(--nw-primary);box-shadow:0 0 0 1px var(--nw-primary)}
.nw-composer{display:flex;align-items:flex-end;gap:6px;padding:10px;border-top:1px solid #e5e7eb;background:#fff}
.nw-composer textarea{flex:1;min-width:0;resize:none;border:1px solid #d1d5db;border-radius:10px;padding:8px 10px;font:inherit;line-height:1.4;height:38px;max-height:140px;color:#111827;background:#fff;outline:none;margin:0;overflow-y:auto}
.nw-composer textarea:focus{border-color:var(--nw-primary);box-shadow:0 0 0 1px var(--nw-primary)}
.nw-composer .nw-icon{color:#6b7280;height:38px}
.nw-btn{background:var(--nw-primary);color:var(--nw-on);border:0;border-radius:10px;height:38px;padding:0 14px;cursor:pointer;font-weight:600;flex:none}
.nw-btn:disabled{opacity:.5;cursor:default}
.nw-chips{display:flex;flex-wrap:wrap;gap:4px;padding:6px 10px 0;background:#fff}
.nw-chip{font-size:12px;background:#f3f4f6;border-radius:8px;padding:2px 4px 2px 8px;display:flex;align-items:center;gap:2px}
.nw-chip .nw-icon{width:22px;height:22px}
.nw-chip svg{width:14px;height:14px}
.nw-brand{font-size:11px;color:#9ca3af;text-align:center;padding:2px 0 8px;background:#fff}
.nw-brand a{color:inherit;text-decoration:none}
.nw-list{flex:1;overflow-y:auto;margin:0;padding:8px;list-style:none}
.nw-list button{width:100%;text-align:left;background:#fff;border:1px solid #e5e7eb;border-radius:10px;padding:10px 12px;margin:0 0 6px;cursor:pointer;display:block;color:inherit}
.nw-list button:hover{border-color:var(--nw-primary)}
.nw-list .nw-when{font-size:11px;color:#6b7280;float:right;margin-left:8px}
.nw-list .nw-snippet{display:block;color:#374151;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.nw-empty{color:#6b7280;text-align:center;padding:24px 12px;margin:0}
.nw-new{margin:8px;align-self:stretch}
.nw-preview{position:fixed;bottom:calc(var(--nw-y) + 70px);right:var(--nw-x);z-index:var(--nw-z);width:300px;max-width:calc(100vw - 2 * var(--nw-x));background:#fff;color:#111827;border-radius:14px;box-shadow:0 8px 28px rgba(0,0,0,.2);padding:12px 34px 12px 14px;cursor:pointer;text-align:left;border:0;display:block}
.nw.left .nw-preview{right:auto;left:var(--nw-x)}
.nw-preview p{margin:0 0 4px;overflow:hidden;display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical}
.nw-preview .nw-cta{color:var(--nw-primary);font-size:12px;font-weight:600}
.nw-preview-wrap{position:relative}
.nw.preview .nw-launcher,.nw.preview .nw-panel,.nw.preview .nw-preview,.nw.preview .nw-preview-close{position:absolute}
.nw.preview .nw-launcher{display:flex}
.nw.preview .nw-panel{inset:var(--nw-y) var(--nw-x) calc(var(--nw-y) + 70px) auto;width:376px;height:auto;max-width:calc(100% - 2 * var(--nw-x));border-radius:16px}
.nw.preview.left .nw-panel{right:auto;left:var(--nw-x)}
.nw-preview-close{position:fixed;bottom:calc(var(--nw-y) + 70px + 4px);right:calc(var(--nw-x) + 4px);z-index:var(--nw-z);width:26px;height:26px;color:#6b7280}
.nw.left .nw-preview-close{right:auto;left:calc(var(--nw-x) + 300px - 30px)}
`;
