/* scripts/checkpatch's control: no SPDX line above, a line indented with spaces below */
int dsmil_checkpatch_control(void)
{
  return 0;
}
