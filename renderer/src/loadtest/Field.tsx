import type { ComponentProps } from 'react';
import { FormField } from '../components/FormField';
import type { FormField as SpecField } from './spec-form';

/** A field of the load test form (test ids `field-<name>`). */
export const Field = (props: Omit<ComponentProps<typeof FormField<SpecField>>, 'testIdPrefix'>) => <FormField {...props} testIdPrefix="field" />;
