"use client";

import { useMemo, useState } from "react";
import { SaveBar } from "../save-bar";
import { previewOptions, type WidgetSettings } from "../widget-form";
import { PreviewControls, type PreviewScene, WidgetPreview } from "../widget-preview";
import { AllowedOriginsSection } from "./allowed-origins-section";
import { AppearanceSection } from "./appearance-section";
import { BehaviourSection } from "./behaviour-section";
import { MessagesSection } from "./messages-section";
import { useWidgetEditor } from "./use-widget-editor";

/** One inbox's widget settings beside a live preview of them. */
export function WidgetEditor({
  inboxId,
  initial,
  onDirtyChange,
}: {
  inboxId: string;
  initial: WidgetSettings;
  onDirtyChange: (dirty: boolean) => void;
}) {
  const editor = useWidgetEditor(inboxId, initial);
  const { form, errors, dirty, save } = editor;
  const [scene, setScene] = useState<PreviewScene>({ conversation: true, agentsOnline: true });
  const preview = useMemo(() => previewOptions(form), [form]);
  onDirtyChange(dirty);

  const sectionProps = { form, errors, set: editor.set, text: editor.text };
  const fieldProblems = Object.entries(errors).filter(([k, v]) => k !== "form" && v).length;

  return (
    <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-[minmax(0,1fr)_408px]">
      <form
        ref={editor.formRef}
        onSubmit={editor.submit}
        noValidate
        aria-label="Chat widget settings"
        data-testid="widget-settings-form"
        className="grid min-w-0 grid-cols-1 gap-6"
      >
        <AppearanceSection {...sectionProps} savedIconUrl={editor.saved.customIconUrl} />
        <MessagesSection {...sectionProps} />
        <BehaviourSection {...sectionProps} />
        <AllowedOriginsSection {...sectionProps} />
        <SaveBar
          pending={save.isPending}
          dirty={dirty}
          saved={save.isSuccess}
          failed={save.isError}
          fieldProblems={fieldProblems}
          formError={
            save.isError && (errors.form || fieldProblems === 0)
              ? (errors.form ?? save.error.message)
              : undefined
          }
          onDiscard={editor.discard}
          submitTestId="widget-settings-save"
        />
      </form>

      <aside className="grid min-w-0 gap-3 lg:sticky lg:top-6" aria-label="Preview">
        <div className="flex items-baseline justify-between">
          <h2 className="text-base font-semibold">Preview</h2>
          <span className="text-xs text-muted-foreground">
            {dirty ? "Unsaved changes shown" : "As visitors see it"}
          </span>
        </div>
        <WidgetPreview settings={preview} scene={scene} />
        <PreviewControls scene={scene} onChange={setScene} />
      </aside>
    </div>
  );
}
