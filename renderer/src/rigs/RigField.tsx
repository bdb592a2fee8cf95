import type { ComponentProps } from 'react';
import { FormField } from '../components/FormField';
import type { AddField } from './add-rig-form';

/** A field of the Add rig form (test ids `rig-field-<name>`). */
export const RigField = (props: Omit<ComponentProps<typeof FormField<AddField>>, 'testIdPrefix'>) => <FormField {...props} testIdPrefix="rig-field" />;
