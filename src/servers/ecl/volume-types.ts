// The fixed volume-type catalogue: the block type snapshots need and one file type they refuse.
// Ids are this server's own constants, the same for every tenant (types are not per tenant in ECL).

export const BLOCK_TYPE = 'piops_iscsi_na';
export const FILE_TYPE = 'pre_nfs_na';

export interface VolumeType {
  id: string;
  name: typeof BLOCK_TYPE | typeof FILE_TYPE;
  /** Volume-create rules; `extra_specs` advertises them as ECL's volume types do. */
  sizes: { min: number; max: number; offered: number[] };
  iopsPerGb: string[];
  throughput: string[];
}

export const VOLUME_TYPES: readonly VolumeType[] = [
  {
    id: '0b8f2d6e-3c41-4a5e-9f27-6d1e8a4c7b10',
    name: BLOCK_TYPE,
    // The service description gives 100..12000 GB; ECL's volume types offer the sizes listed here.
    // The range is what is enforced, the list is what is advertised.
    sizes: { min: 100, max: 12000, offered: [100, 250, 500, 1000, 2000, 4000, 8000, 12000] },
    iopsPerGb: ['2', '4'],
    throughput: [],
  },
  {
    id: '7c35e0a4-91d2-4f6b-8e03-2a5b9d4f1c62',
    name: FILE_TYPE,
    // Our references give no range for file volumes; only the sizes the type offers are accepted.
    sizes: { min: 256, max: 512, offered: [256, 512] },
    iopsPerGb: [],
    throughput: ['50', '100', '250', '400'],
  },
];

export function volumeTypeById(id: string): VolumeType | undefined {
  return VOLUME_TYPES.find((t) => t.id === id);
}

export function acceptsSize(type: VolumeType, size: number): boolean {
  if (type.name === BLOCK_TYPE) return size >= type.sizes.min && size <= type.sizes.max;
  return type.sizes.offered.includes(size);
}
