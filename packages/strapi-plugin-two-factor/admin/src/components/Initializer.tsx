import { useEffect, useRef } from 'react';
import { PLUGIN_ID } from '../pluginId';

interface InitializerProps {
  setPlugin: (id: string) => void;
}

/** Tells the admin panel the plugin has loaded. */
export const Initializer = ({ setPlugin }: InitializerProps): null => {
  const ref = useRef(setPlugin);
  useEffect(() => {
    ref.current(PLUGIN_ID);
  }, []);
  return null;
};
