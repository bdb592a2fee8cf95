import { useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { ACCEPTED_IMAGE_TYPES } from '../components/image-payload';

/** A drop zone for a PNG or JPEG that is also a button (Enter or Space opens the file picker). */
export function ImageDrop({ onImage, preview }: { onImage: (file: File) => void; preview: string | null }) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file) onImage(file);
  };
  const key = (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      input.current?.click();
    }
  };
  return (
    <div
      className={over ? 'dropzone over' : 'dropzone'}
      role="button"
      tabIndex={0}
      aria-label="Choose an image, or drop one here"
      data-testid="image-drop"
      onClick={() => input.current?.click()}
      onKeyDown={key}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
    >
      {preview ? <img src={preview} alt="The image to classify" className="preview" /> : <span className="muted">Drop a PNG or JPEG here, or press Enter to choose one</span>}
      <input
        ref={input}
        type="file"
        accept={ACCEPTED_IMAGE_TYPES.join(',')}
        hidden
        data-testid="image-file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) onImage(file);
          e.target.value = '';
        }}
      />
    </div>
  );
}
