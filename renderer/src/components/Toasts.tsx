import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { call } from '../api.js';
import { useI18n } from '../i18n.js';
import { Icon } from './Icon.js';

export type ToastTone = 'success' | 'error' | 'warning' | 'info';
export interface ToastInput {
  tone: ToastTone;
  title: string;
  body?: string;
  /** One action button (Undo, Show details …). */
  action?: { label: string; run(): void };
  /** Milliseconds; 0 = stays until closed. Errors stay by default. */
  duration?: number;
  /** Replaces a toast with the same key instead of stacking. */
  key?: string;
  /** The person closed it (the close button): what it said has been read. Not called when it times out. */
  onClose?(): void;
}
interface Toast extends ToastInput { id: number }

interface ToastApi {
  show(toast: ToastInput): number;
  dismiss(id: number): void;
  /** Closes confirmations that offer nothing more to do (success or info, no action): they belong to the screen that is left. */
  dismissPassing(): void;
}
const ToastContext = createContext<ToastApi | null>(null);

export function useToasts(): ToastApi {
  const value = useContext(ToastContext);
  if (!value) throw new Error('useToasts outside ToastProvider');
  return value;
}

/** In-app toasts, plus a native notification (app.notify) while the window is not focused. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((x) => x.id !== id)), []);
  const show = useCallback((input: ToastInput) => {
    const id = next.current++;
    setToasts((list) => [...list.filter((x) => !input.key || x.key !== input.key), { ...input, id }].slice(-4));
    const duration = input.duration ?? (input.tone === 'error' ? 0 : 6000);
    if (duration > 0) window.setTimeout(() => dismiss(id), duration);
    if (!document.hasFocus() && input.tone !== 'info') {
      void call('app.notify', { title: input.title.slice(0, 200), body: (input.body ?? '').slice(0, 1000) }).catch(() => undefined);
    }
    return id;
  }, [dismiss]);
  const dismissPassing = useCallback(() => setToasts((list) => {
    const kept = list.filter((x) => x.action || (x.tone !== 'success' && x.tone !== 'info'));
    return kept.length === list.length ? list : kept;
  }), []);
  const api = useMemo(() => ({ show, dismiss, dismissPassing }), [show, dismiss, dismissPassing]);
  const icon = { success: 'check', error: 'error', warning: 'warning', info: 'info' } as const;
  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toasts" role="region" aria-label={t('toast.region')}>
        <div aria-live="polite" className="toasts__list">
          {toasts.map((toast) => (
            <div key={toast.id} className={`toast toast--${toast.tone}`} role={toast.tone === 'error' ? 'alert' : 'status'} data-tone={toast.tone}>
              <span className="toast__icon"><Icon name={icon[toast.tone]} /></span>
              <div className="toast__text">
                <strong>{toast.title}</strong>
                {toast.body ? <span>{toast.body}</span> : null}
                {toast.action ? (
                  <button type="button" className="btn btn--small toast__action" onClick={() => { toast.action?.run(); dismiss(toast.id); }}>{toast.action.label}</button>
                ) : null}
              </div>
              <button type="button" className="icon-btn" aria-label={t('common.close')} onClick={() => { toast.onClose?.(); dismiss(toast.id); }}><Icon name="close" size={16} /></button>
            </div>
          ))}
        </div>
      </div>
    </ToastContext.Provider>
  );
}
