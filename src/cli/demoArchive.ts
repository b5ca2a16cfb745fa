// Sample content for `quire demo`: a few original works in public-domain fandoms, so a fresh archive
// has something to read, browse and tag-hop through. All prose here was written for Quire.

import type { ArchiveWarning, Category, Rating } from '../domain/vocabulary.ts';

export interface DemoCreator {
  username: string;
  email: string;
}

export interface DemoChapter {
  title?: string;
  summary?: string;
  notes?: string;
  /** Markdown. */
  body: string;
}

export interface DemoWork {
  /** A DemoCreator username. */
  creator: string;
  title: string;
  /** Markdown, 1-3 sentences. */
  summary: string;
  notes?: string;
  endNotes?: string;
  rating: Rating;
  warnings: ArchiveWarning[];
  categories: Category[];
  fandoms: string[];
  /** AO3 style: "A/B" romantic, "A & B" platonic. */
  relationships: string[];
  characters: string[];
  freeforms: string[];
  /** BCP 47, e.g. 'en'. */
  language: string;
  complete: boolean;
  /** null = unknown ("?"). */
  expectedChapters: number | null;
  /** How long ago it was first posted, so the home page has a spread of dates. */
  daysAgo: number;
  chapters: DemoChapter[];
}

const SHERLOCK = 'Sherlock Holmes - Arthur Conan Doyle';
const AUSTEN = 'Pride and Prejudice - Jane Austen';
const WILLOWS = 'The Wind in the Willows - Kenneth Grahame';
const GREEK = 'Greek Mythology';
const ALICE = 'Alice in Wonderland - Lewis Carroll';

export const demoCreators: DemoCreator[] = [
  { username: 'bakerstreet_bees', email: 'bakerstreet_bees@example.org' },
  { username: 'lanternlight_writes', email: 'lanternlight_writes@example.org' },
  { username: 'toadhall_tea', email: 'toadhall_tea@example.org' },
  { username: 'persephones_pantry', email: 'persephones_pantry@example.org' },
];

export const demoWorks: DemoWork[] = [
  {
    creator: 'bakerstreet_bees',
    title: 'The Case of the Borrowed Umbrella',
    summary:
      'Holmes deduces the owner of an umbrella that has appeared in the sitting room at 221B. Watson would rather he simply asked.',
    notes:
      'A little something for a rainy afternoon. No crimes were committed in the making of this fic, unless you count the ones against the umbrella.',
    endNotes: 'Thank you for reading! Kudos and comments are the brass wire that keeps my ribs together.',
    rating: 'General Audiences',
    warnings: ['No Archive Warnings Apply'],
    categories: ['Gen'],
    fandoms: [SHERLOCK],
    relationships: ['Sherlock Holmes & John Watson'],
    characters: ['Sherlock Holmes', 'John Watson', 'Mrs. Hudson'],
    freeforms: ['Fluff', 'Friendship', 'Canon Compliant', 'Rain', 'Humor'],
    language: 'en',
    complete: true,
    expectedChapters: 1,
    daysAgo: 3,
    chapters: [
      {
        body: `The umbrella had been standing in the corner by the coal-scuttle for two days before Holmes acknowledged it, which Watson took to mean that it had been bothering him for two days.

"Black silk," Holmes said at breakfast, without looking up from his eggs. "Whalebone ribs, two of them recently mended with brass wire by someone who owns no proper tools. A handle of cherrywood, worn pale on the left side of the crook. Our visitor is left-handed, Watson, of modest but not desperate means, and walks a great deal in the rain, which in London narrows the field to approximately everyone."

"It's mine," said Watson.

Holmes put down his fork.

"I bought it on Tuesday," Watson went on, buttering his toast with tremendous calm, "from a man outside the Criterion who had a barrow of them. It cost me one and six. He mended the ribs while I waited. I hold it in my left hand because my right is usually occupied with keeping my hat on."

There was a long silence, of the particular kind that Watson had come to think of as Holmes rearranging the furniture of his mind.

"The handle is worn," Holmes said at last. "You have had it for two days."

"The man outside the Criterion had it for rather longer, I expect."

"Then the deductions were sound. They merely described the wrong man."

"They described the barrow man admirably," Watson agreed. "If he ever commits a crime, you'll have him in an afternoon."

***

It rained all that week. Holmes went out on Wednesday in pursuit of a forger and came back soaked to the collar, his own umbrella having been left, he said, in a cab with a man who needed it more. Watson suspected it had been left in a cab with nobody at all.

On Thursday the black silk umbrella was gone from the corner by the coal-scuttle. On Thursday evening Holmes came in dry.

He set the umbrella back in its place without comment, shook the drops from its folds, and sat down in his chair with the air of a man who has conducted an experiment and found the results satisfactory. Watson lowered his newspaper.

"Well?"

"The crook is shaped for a smaller hand than mine," said Holmes, "and the balance is poor, and one of the brass repairs rattles when the wind catches it from the east." He stretched his long legs toward the fire. "It is an *entirely adequate* umbrella."

From Holmes, Watson knew, this was very nearly a sonnet.

"You might buy your own," he suggested. "The barrow man is there most days."

"I might," said Holmes, and closed his eyes, and Watson understood that he would do nothing of the kind: that the umbrella in the corner was now, by some process of deduction too subtle for a mere doctor to follow, held in common, like the fire and the newspapers and the habit of coming home.

Mrs. Hudson, bringing up the tea a little later, found them both asleep in their chairs and the umbrella dripping quietly onto her good rug. She moved it to the hall stand, where it belonged.

By morning it was back in the corner.`,
      },
    ],
  },
  {
    creator: 'bakerstreet_bees',
    title: "Mrs. Hudson's Ledger",
    summary:
      "Every landlady keeps accounts. Mrs. Hudson's are more interesting than most: broken windows, muddy boys, and one detective who never, *ever* remembers to eat.",
    notes:
      'Updates whenever Mrs. Hudson lets me see the next page. Each chapter is one entry in the ledger, roughly in canon order.',
    rating: 'General Audiences',
    warnings: ['No Archive Warnings Apply'],
    categories: ['Gen'],
    fandoms: [SHERLOCK],
    relationships: ['Mrs. Hudson & Sherlock Holmes', 'Mrs. Hudson & John Watson'],
    characters: ['Mrs. Hudson', 'Sherlock Holmes', 'John Watson', 'Wiggins'],
    freeforms: ['Mrs. Hudson-centric', 'Outsider POV', 'Found Family', 'Domestic'],
    language: 'en',
    complete: false,
    expectedChapters: null,
    daysAgo: 40,
    chapters: [
      {
        title: 'Item: One Pane, Sitting Room Window',
        body: `Mrs. Hudson had kept accounts since the first week of her widowhood, when she discovered that her late husband's method of keeping them (which was to remember, roughly) had left her with a house, a great many debts, and no clear idea which was larger. She bought a ledger bound in green cloth that same afternoon. She had filled eleven of them since.

The twelfth began the month the two gentlemen took the first floor.

*Item: one pane, sitting room window, broken from within. 4s. 6d.*

She had come up the stairs at a pace she did not like to be seen using, with her heart going, and found Mr. Holmes standing in the middle of the carpet in his dressing-gown, regarding the hole in the glass with an expression of mild scientific interest.

"An experiment in trajectories," he said. "I do apologise. You'll add it to the rent, of course."

"Of course," said Mrs. Hudson. She looked at the poker lying on the hearthrug, which had plainly been the trajectory, and at the papers blown across the floor by the cold air coming in, and at the young man himself, who was as thin as a rake-handle and had, she noticed, a tray on the side table with last night's supper on it, untouched. Noticing was her trade quite as much as it was his.

She did not add the supper to the rent. She took it down and brought up another, and stood in the doorway until he had eaten half of it, which was a thing she found she could do if she folded her arms and said nothing at all. Silence, it turned out, was the one argument Mr. Holmes had no answer for.

* * *

That night she wrote the window in her ledger, and underneath it, in smaller letters, a line that had nothing to do with money.

*Does not eat when thinking. Thinks constantly.*

She underlined *constantly* twice. Then, because she was a practical woman, she went down to the kitchen and began a list of things that could be eaten with one hand.`,
      },
      {
        title: 'Item: Hall Carpet, Cleaned',
        notes:
          'Wiggins really is the leader of the Irregulars in canon. The bread and dripping are my own invention.',
        body: `*Item: hall carpet, professionally cleaned. 7s.*

*Item: the same, again. 7s.*

*Item: the same. I have stopped counting.*

The boys came at all hours, which Mrs. Hudson might have forgiven, and in all weathers, which she might have forgiven too; but they came *through the front door* as if it were a public thoroughfare, and they brought half of Marylebone in on their boots.

"They are my agents," Mr. Holmes explained, when she raised the matter. "They go everywhere and are seen by no one. They are invaluable."

"They are seen by me," said Mrs. Hudson, "every time I look at the stair-rods."

The leader of them was a boy called Wiggins, perhaps twelve years old, who had the bearing of a general and the cap of a chimney sweep. He was the one who took the shilling and shared it out, and the one who did the talking, and on the fourth occasion of the carpet he was the one who hung back in the hall after the others had gone clattering up the stairs, and looked at the mud, and looked at her.

"Sorry, missus," he said.

It was the first time any of them had said it. Mrs. Hudson, who had been prepared to be stern, found herself at a loss.

"There's a scraper," she said finally. "By the area steps. For boots."

Wiggins considered this as though it were a clue in one of Mr. Holmes's cases. "I'll tell 'em," he said, and went up.

He did tell them. She never learned what he said, but from that day the Baker Street Irregulars came down the area steps first, all six or eight of them in a scuffling line, and scraped their boots with enormous solemnity before trooping in by the kitchen door, where it somehow happened that there was generally bread and dripping on the table and a pot of tea too strong for anyone but boys and cab-drivers.

Dr. Watson came down one afternoon to find the whole army of them at her table, and stopped in the doorway.

"Mrs. Hudson," he said, "I believe you've recruited Holmes's agents."

"Nonsense," she said, cutting another slice. "They're hungry, that's all. Somebody in this house ought to be fed."

She did not write the bread and dripping in her ledger. There were some accounts, she had decided, that were better kept elsewhere.`,
      },
    ],
  },
  {
    creator: 'lanternlight_writes',
    title: 'A Thaw at Pemberley',
    summary:
      'The first winter of their marriage, Pemberley is snowed in, the Gardiners are snowed out, and Elizabeth discovers that her husband has never built a snowman. This must be remedied.',
    notes: 'Written for a friend who wanted Darcy in a snowball fight. I have done my best.',
    endNotes:
      "Thank you for reading! Georgiana went on to organise a snowball league among the tenants' children. Darcy was appointed referee. He took it very seriously.",
    rating: 'General Audiences',
    warnings: ['No Archive Warnings Apply'],
    categories: ['F/M'],
    fandoms: [AUSTEN],
    relationships: ['Elizabeth Bennet/Fitzwilliam Darcy'],
    characters: ['Elizabeth Bennet', 'Fitzwilliam Darcy', 'Georgiana Darcy'],
    freeforms: ['Post-Canon', 'Fluff', 'Established Relationship', 'Snowed In', 'Christmas'],
    language: 'en',
    complete: true,
    expectedChapters: 3,
    daysAgo: 12,
    chapters: [
      {
        title: 'In Which It Snows',
        body: `The snow began on the twentieth of December, a little before the Gardiners' carriage was expected, and by nightfall it was plain that the Gardiners would not be arriving at all. A letter came two days later by a boy on a very tired pony: they were safe at the inn at Lambton, the roads were impassable, and Mrs. Gardiner sent her love, her apologies, and a receipt for a plum pudding she thought Elizabeth might like to try.

"We shall be alone for Christmas," said Elizabeth, folding the letter. She found, on examining the sensation, that she did not entirely mind.

Her husband, across the breakfast table, appeared to be examining a sensation of his own. "I am sorry for it. I know you were looking forward to seeing them."

"I was. I am. But there is Georgiana, and there is you, and there is a library I have not yet read one-tenth of, and there is..." She looked out of the window, where the park lay white and silent to the edge of the woods, every hollow filled and every branch lined with snow. "Fitzwilliam. When did you last build a snowman?"

He considered the question with the gravity he gave to all questions, which was one of the things she loved in him and also one of the things she most enjoyed disturbing.

"I do not believe I ever have."

Elizabeth set down her cup. "*Never?*"

"My mother did not think it suitable. And afterwards there was school, and then there was the estate." He said it simply, without self-pity, the way he said most true things. "It did not seem a pressing omission."

"It is the most pressing omission I have ever heard of," said Elizabeth, rising. "Put on your oldest coat. No, you do not own an old coat. Put on the coat you would least mind being ruined."

"Elizabeth..."

"I shall fetch Georgiana. She will want to see this."

* * *

The coat he least minded being ruined turned out to be a greatcoat of such superb cut that Elizabeth very nearly relented.

Very nearly.`,
      },
      {
        title: 'In Which Georgiana Takes Sides',
        body: `It emerged, within a quarter of an hour, that Mr. Darcy approached the construction of a snowman in precisely the manner he approached the drainage of the lower meadow: with care, with method, and with a firm conviction that there was a correct way to proceed.

"The base ought to be broader," he said, walking around the first great ball of snow that Elizabeth and Georgiana had rolled between them. "Otherwise the whole will be unstable."

"It is a snowman, not a cathedral."

"A cathedral would at least have the benefit of foundations."

Georgiana, pink-cheeked beneath her bonnet, made a small noise that began as a laugh and was hastily turned into a cough. She had been shy of Elizabeth for the first months (shy of everyone, really, but especially of this new sister who teased her brother as nobody had ever dared to) and Elizabeth had learned not to press. It was enough to watch her now, kneeling in the snow with her gloves soaked through, patting the base of the snowman broader with great seriousness because her brother had said it ought to be.

Elizabeth waited until Darcy bent to inspect the result.

The snowball struck him squarely between the shoulder blades. He straightened very slowly.

"Georgiana," he said, without turning round, "did you see who threw that?"

Georgiana looked at Elizabeth. Elizabeth looked at the sky.

"I did not see anything, Brother," said Georgiana, in a small clear voice, and Elizabeth could have kissed her.

"I see." Darcy turned. There was snow on his collar and a look on his face she had seen only a handful of times: once at Netherfield, when she had bested him on a point of argument he had been sure of, and once in a lane near Longbourn, on the morning everything changed. It was not quite a smile. It was the thing that came just before one. "Then I must consider the whole party equally guilty."

He stooped, and gathered, and threw. It was a very good throw, straight and unhurried, and it took Elizabeth's bonnet clean off her head.

The battle that followed was brief and disorderly, and ended with all three of them sitting in a drift, breathless, Georgiana laughing properly at last with both hands pressed over her mouth as though the sound might escape without permission. The snowman stood over them, headless, on an excellent broad base.

"You see," said Darcy, brushing snow out of his hair, "it has not fallen."

"I concede the foundations," said Elizabeth. "I concede nothing else."`,
      },
      {
        title: 'In Which a Thaw Arrives',
        body: `They finished the snowman on Christmas Eve. It had a head by then, and a pair of coal eyes, and a carrot that Georgiana had begged from the kitchens with a boldness that astonished the cook. It had, most shockingly of all, a hat: a tall beaver hat, somewhat battered, which Darcy brought out from the house himself and placed on the snowman's head with his own hands while Elizabeth stared.

"It is an old one," he said. "I had no further use for it."

"You have never in your life owned an old hat."

"Then I have one now," he said, and offered her his arm to go in.

Christmas was quiet. They drove to church through the white lanes in the sleigh, and ate Mrs. Gardiner's plum pudding, which was a triumph, and in the evening Georgiana played for them: carols first, and then, when she forgot to be shy, a sonata so lovely that Elizabeth found her eyes stinging and had to look into the fire. Darcy sat beside her on the sofa. Somewhere in the second movement his hand found hers, and stayed.

* * *

The thaw came two days after. Elizabeth woke to the sound of water running from every gutter of the house, and went to the window to find the park gone grey and green in patches, the woods dripping, the whole white world dissolving back into an ordinary December.

On the lawn below, the snowman was listing gently to one side. The hat had slipped down over one coal eye.

"He looks," said a voice behind her, "as though he has been at the punch."

She turned. Her husband stood in the doorway in his shirtsleeves, his hair disordered from sleep, looking past her at the ruin of their work with an expression she could not quite read.

"I am sorry," she said. "He did not last very long."

"No." He came to stand beside her. "But we shall build another next winter. And I shall know how, now." A pause. "The base ought to be broader."

Elizabeth laughed, and leaned into him, and together they watched the snowman sink slowly, contentedly, into the green.`,
      },
    ],
  },
  {
    creator: 'lanternlight_writes',
    title: 'The Second Movement',
    summary:
      'The night after the Netherfield ball, Mary Bennet practises the pianoforte alone. Elizabeth, who cannot sleep either, comes down to listen.',
    rating: 'General Audiences',
    warnings: ['No Archive Warnings Apply'],
    categories: ['Gen'],
    fandoms: [AUSTEN],
    relationships: ['Elizabeth Bennet & Mary Bennet'],
    characters: ['Mary Bennet', 'Elizabeth Bennet'],
    freeforms: ['Mary Bennet-centric', 'Sisters', 'Character Study', 'Hurt/Comfort', 'Canon Compliant'],
    language: 'en',
    complete: true,
    expectedChapters: 1,
    daysAgo: 90,
    chapters: [
      {
        body: `The house at Longbourn was never truly quiet, but at two o'clock in the morning after the Netherfield ball it came nearer to it than Mary could remember. Lydia and Kitty had giggled behind their door until Jane went in and said something that silenced them. Now there was only the tick of the hall clock and the settling of the old beams, and Mary, in her wrapper, sitting at the pianoforte with a single candle and her hands in her lap.

She did not play. Not at first. She sat and looked at the keys and thought about the room at Netherfield: the warmth of it, the candles, the faces turned toward her as she began her second song, and how she had felt them turn, not all at once but one by one, like leaves going over in a wind, from polite to bored to something worse. She had kept playing. She had thought, if she only played *well enough*, they would turn back.

And then her father had stopped her, in front of everyone, in the mild, amused voice he used when he believed he was being kind, and the room had laughed, and she had gone to sit by the wall with her face burning.

She put her hands on the keys now and played a scale, very softly. Then the opening of the sonata she had meant to play tonight, the one she had practised for three weeks, and stopped after four bars, because she could hear it now, the thing they had heard. It was correct. Every note was correct. It was as dry as a sermon read aloud by someone who did not believe a word of it.

"Don't stop," said Elizabeth from the doorway.

Mary snatched her hands back. Her sister stood there in her nightgown with a shawl about her shoulders and her hair in its plait, holding no candle.

"I didn't mean to wake you."

"You didn't. I haven't slept." Elizabeth came in and sat down, not on the sofa but on the floor beside the instrument, with her back against the leg of the bench, as she used to when they were children and Mary had first begun lessons. "Play it again."

"You heard it tonight. Everyone heard it."

"I heard you play it for a room that wasn't listening," said Elizabeth. "I should like to hear you play it for me."

Mary looked down at her. Of all her sisters, Elizabeth was the one she understood least. Jane was good, and Lydia was loud, and Kitty followed Lydia; but Elizabeth was *clever*, and laughed at things, and Mary had always assumed that the laughter included her.

She began again.

It was not better, exactly. It was slower. Halfway through the first movement she stumbled and did not stop to correct it, and something in the stumble loosened her hands, and the next phrase came out softer than she had ever played it, almost tentative, as if the music were asking a question instead of reciting an answer. She had not known she could play like that. She kept going.

When she finished, the candle had burned down a full inch. Elizabeth had her head tipped back against the bench and her eyes closed.

"There," she said quietly. "That was the one."

***

Mary played at the next assembly, and the one after that. People talked through it, mostly. She found that she minded less than she had expected.

And whenever she looked up, there was Elizabeth by the wall: not talking, not laughing. Listening.`,
      },
    ],
  },
  {
    creator: 'toadhall_tea',
    title: 'The Riverbank Almanac',
    summary:
      'A year on the river, in four chapters. Mole learns to row, Rat learns to rest, and the seasons turn as they always do.',
    notes: 'One chapter per season. Best read with a cup of tea and, ideally, a river nearby.',
    endNotes: 'Thank you for spending a year on the riverbank with me.',
    rating: 'General Audiences',
    warnings: ['No Archive Warnings Apply'],
    categories: ['Gen'],
    fandoms: [WILLOWS],
    relationships: ['Mole & Water Rat'],
    characters: ['Mole', 'Water Rat', 'Badger', 'Toad'],
    freeforms: ['Fluff', 'Friendship', 'Found Family', 'Seasons', 'Slice of Life'],
    language: 'en',
    complete: true,
    expectedChapters: 4,
    daysAgo: 200,
    chapters: [
      {
        title: 'Spring',
        body: `On the first warm morning of the year, Mole woke with the conviction that something was waiting for him outside, and that it would not wait long.

He had felt this every spring since he came to live by the river, and every spring it had been true. This time it was a kingfisher. It sat on the rail of the little landing stage outside the Rat's front door, blue as a dropped piece of sky, and regarded Mole with one bright eye as he came down the bank in his slippers.

"Good morning," said Mole, who believed in manners.

The kingfisher went off like a struck match, straight and low over the water, and was gone.

"You'll never catch one standing still," said the Rat from the doorway behind him. He had a mug of tea in each paw and the look of an animal who has been awake for hours and has been waiting, with some patience, for his friend to notice the day. "They only sit for people who aren't looking."

"Then how does anyone ever see them?"

"By not looking very hard," said the Rat, and handed him his tea. "Drink that. Then you can take the oars."

Mole nearly dropped the mug. "By myself? All the way?"

"As far as the willow and back. You're ready. You've been ready since autumn; I only wanted the water to be kind for your first time."

So Mole rowed, that first warm morning, with the Rat lying back in the stern pretending to doze. He caught a crab only twice and splashed only once, and when he brought the boat round under the willow without touching a single branch, the Rat opened one eye and said, "Well done," in a voice that made Mole warm all the way through.

He did not see the kingfisher again. But he knew, now, that it was there.`,
      },
      {
        title: 'Summer',
        body: `By midsummer the Rat was writing poetry again, which Mole had learned to recognise as a sign that his friend was tired.

It was not that the poems were bad. Mole thought they were wonderful, though he did not always understand them. But the Rat wrote them the way other animals paced: back and forth, crossing out and beginning over, muttering at the ends of lines, until the parlour floor was drifted with paper and there was ink on his whiskers and he had forgotten all about lunch.

So one afternoon Mole packed the hamper without being asked. He put in cold chicken and watercress sandwiches and a jar of plum jam and a stone bottle of ginger beer, and carried it down to the boat, and then he came back and stood in the parlour door until the Rat looked up.

"I'm nearly finished," said the Rat. "It's only the last verse. The rhyme won't come."

"It'll come on the river," said Mole.

The Rat opened his mouth to argue and then, to Mole's surprise, closed it again. He looked at the paper on the floor. He looked at his inky paws. "When did you get so wise?"

"I live with a poet," said Mole. "Come on."

They went upstream to the backwater where the yellow irises grow, and ate everything in the hamper, and lay in the boat with their hats over their faces while the dragonflies went by like tiny clockwork. The Rat did not write a single line.

On the way home, drifting in the long gold light, he said suddenly, "*Shallows*," and then laughed. "That's the rhyme. It was *shallows* all along."

Mole did not ask what it rhymed with. He was simply glad it had come.`,
      },
      {
        title: 'Autumn',
        body: `In October the wind went round to the north, and the Badger sent word that he would be glad of help with his winter stores. He sent it in his usual fashion, which was to send no word at all but to be seen, once, standing at the edge of the Wild Wood at dusk.

They went the next morning with a wheelbarrow and a great many sacks. The Badger's house was as deep and warm and untidy as ever, all its passages smelling of earth and woodsmoke and apples, and there was a great deal to carry: nuts and roots and dried mushrooms, strings of onions, a whole barrow of windfalls the Rat had gathered from the orchard by the mill.

They worked until the afternoon. Then the Badger, who did not like to be thanked and did not much like thanking people either, set out three bowls of hot soup on the kitchen table, sat down heavily, and said nothing for a while.

"There was a time," he said at last, "when I did all this by myself. Every autumn. Didn't mind it. Didn't know there was anything to mind." He looked into his soup. "It goes quicker with three."

"It does," said Mole.

"Hm," said the Badger. That seemed to be all.

But when they left, loaded down with a pot of honey and a sack of his best apples, which he pressed on them at the door with tremendous gruffness, he stood in the entrance to his house and watched them all the way to the edge of the wood. Mole, looking back, saw him lift one heavy paw just before the trees closed in.`,
      },
      {
        title: 'Winter',
        body: `The river froze in January, for the first time in years.

Mole had never seen it like that: the whole broad moving road of it gone still and white from bank to bank, the reeds standing stiff with frost, the boat hauled up under a tarpaulin like a sleeping animal. It made him uneasy at first. The river had always been the one thing that went on.

"It's still going," the Rat told him. "Underneath. It never stops. It's only keeping quiet for a while."

Toad arrived on the third day of the freeze in a fur coat of startling size, with four pairs of skates slung round his neck and the announcement that he had been, in his youth, the finest figure-skater in the county. He demonstrated this by falling over almost at once. He then fell over a further eleven times (Mole counted) and declared after each fall that the ice was at fault, and laughed so hard at the twelfth that the Rat had to sit down on the bank to recover.

The Badger came too, though he would not skate. He built a fire on the bank instead and stood beside it like a great grey boulder, roasting chestnuts and making remarks.

Mole skated badly and happily until dark. When the stars came out he sat by the fire between the Rat and the Badger, with Toad snoring under his fur coat on the other side, and looked at the frozen river shining under the moon, and thought about the whole year of it: the kingfisher and the irises and the Badger's apples, and this.

***

That night, before bed, he took a fresh notebook from the Rat's desk and wrote on the first page, in his best round hand, *The Riverbank Almanac*. Underneath he wrote: *Spring. Learned to row.*

He sat for a long time over the next line. In the end he only wrote, *Everyone was there*, and went to bed.`,
      },
    ],
  },
  {
    creator: 'toadhall_tea',
    title: 'Toad and the Velocipede',
    summary:
      'Toad has given up motor-cars forever. He has taken up the bicycle instead. The Badger is not reassured.',
    endNotes: 'No Toads were harmed in the writing of this fic. The duck pond has made a full recovery.',
    rating: 'Not Rated',
    warnings: ['Creator Chose Not To Use Archive Warnings'],
    categories: ['Gen'],
    fandoms: [WILLOWS],
    relationships: ['Badger & Toad'],
    characters: ['Toad', 'Badger', 'Water Rat'],
    freeforms: ['Humor', 'Crack Treated Seriously', 'Bicycles', 'Friendship'],
    language: 'en',
    complete: true,
    expectedChapters: 1,
    daysAgo: 1,
    chapters: [
      {
        body: `"I have given them up," said Toad. "Entirely. Absolutely. Motor-cars are a closed chapter in my life, Badger, a door I have shut and locked and thrown the key into the deepest part of the river."

"I am glad to hear it," said the Badger.

"I have taken up the bicycle instead."

The Badger, who had been about to raise a cup of tea to his lips, set it down again with great care.

It stood in the stable-yard at Toad Hall, gleaming in the morning sun, and it was without question the largest bicycle the Badger had ever seen. Its front wheel came nearly to his shoulder. Its back wheel was small and mean-looking, like an afterthought. Everywhere there was room for brass, there was brass, and in several places where there had not been room, brass had been added anyway.

"A penny-farthing," said the Rat, who had come up from the river to see what all the shouting was about. "Toad, nobody has ridden those for years. They went out of fashion because people kept falling off them."

"People," said Toad grandly, "are not Toad."

"That," the Badger muttered, "is the whole difficulty."

There followed a morning the Rat would later describe to the Mole as *educational*. Toad could not mount the bicycle. He could not mount it from the left or from the right, or from a mounting-block, or from a stepladder held by two anxious stable-boys. On the one occasion he did get up, by a method involving the stable roof that nobody wished to discuss afterwards, he stayed there for almost four seconds, wobbling magnificently and crying "Observe! *Observe!*" before the whole affair toppled gently sideways into the duck pond.

He came up with weed on his head and joy in his face.

"Did you see?" he cried. "Did you see how fast I was going?"

"You were not going anywhere," said the Badger. "You were stationary, and then you were in the pond."

"Ah, but in *spirit*, Badger. In spirit I was flying down the open road. I was the wind! I was..."

"Wet," said the Rat.

* * *

They got him dried off and settled in front of the fire in the great hall with a blanket and a hot toddy, and in the way of Toads he had forgotten his triumph within the hour and was talking instead about a hot-air balloon he had seen advertised in a magazine.

The Badger and the Rat exchanged a long look over his head.

"Tomorrow," said the Badger heavily, "I shall have that bicycle taken apart and the brass sold."

"And the balloon?"

The Badger gazed into the fire for a long moment, as a general might gaze at a map on the eve of a battle he did not expect to win.

"One thing," he said, "at a time."`,
      },
    ],
  },
  {
    creator: 'persephones_pantry',
    title: 'Winter Hours',
    summary:
      "Persephone runs the café at the edge of her mother's garden centre. Every year, on the last day of the season, a quiet man in a black coat orders pomegranate tea and leaves an enormous tip. This year she's going to find out who he is.",
    notes: 'Modern AU. The myth, but with oat milk. Updates every other Sunday, give or take.',
    endNotes: 'Next time: a winter bookshop, a great deal of tea, and Demeter finds out.',
    rating: 'Teen And Up Audiences',
    warnings: ['No Archive Warnings Apply'],
    categories: ['F/M'],
    fandoms: [GREEK],
    relationships: ['Hades/Persephone'],
    characters: ['Persephone', 'Hades', 'Demeter', 'Hermes'],
    freeforms: [
      'Alternate Universe - Modern Setting',
      'Alternate Universe - Coffee Shops & Cafés',
      'Mutual Pining',
      'Slow Burn',
      'Fluff',
    ],
    language: 'en',
    complete: false,
    expectedChapters: 3,
    daysAgo: 25,
    chapters: [
      {
        summary: 'Closing day at the Kore Café.',
        body: `The Kore Café closed for the winter on the last Sunday of October, and on the last Sunday of October, at ten to four, the man in the black coat came in.

Persephone had been watching the door for an hour. She had told herself she wasn't. She had wiped down the counter three times and rearranged the jars of dried lavender and lemon balm on the shelf behind the till, and told Hermes (who worked weekends, and was supposed to be stacking chairs but was in fact lying across three of them, scrolling his phone) that she *wasn't* watching the door, which had been a mistake, because now Hermes was watching her watch it.

"Four years," Hermes said, without looking up. "Four years he's come in on closing day. You know what he orders. You know how he takes it. You've never once asked his name."

"It's not professional to ask customers' names."

"You write them on the cups."

"He's never had it to go," said Persephone, and the bell over the door rang.

He was exactly as she remembered, which was ridiculous, because she had only ever seen him four times, once a year, for perhaps twenty minutes each. Tall, and pale in the way of someone who works indoors and doesn't mind it, dark hair going silver at the temples. The same long black coat; the same careful way of closing the door behind him so the bell wouldn't ring twice. He looked around the café as he always did, at the dried flowers hanging from the beams and the last geraniums on the windowsills, the way you might look around a room you had been thinking about all year.

Then he looked at her, and she forgot to be casual.

"Pomegranate tea," she said. "Large. No sugar. And a slice of whatever's left."

Something happened at the corner of his mouth. It was very small. "You remember."

"It's a small café."

"It is," he agreed, and sat down at the table by the window (*his* table, she had started calling it in her head, sometime around the second year) and took a book from his coat pocket, and did not look up again until she brought the tray.

* * *

She almost asked. She stood by his table with the empty tray held against her chest and the question right there on her tongue, and then her mother's car pulled into the garden centre car park outside, and the moment went wherever moments go.

When he left, at five past four, there was a fifty folded under the saucer, and on the back of the receipt, in small, neat handwriting:

*Thank you for the summer.*

Persephone read it three times.

"Okay," said Hermes, sitting up at last. "Okay. That's *romantic*. That's actually, genuinely..."

"Stack the chairs," said Persephone. She put the receipt in her apron pocket and did not take it out again until she was home.`,
      },
      {
        notes:
          'Thank you so much for all the lovely comments on chapter one! I had no idea so many of you would love Hermes as much as I do.',
        body: `Winters at her mother's house were long.

Demeter loved her; Persephone had never once doubted that. But Demeter loved her the way she loved her greenhouse plants: fiercely, anxiously, with one hand always hovering near the thermostat. When the café closed, Persephone came home to the farmhouse behind the garden centre, and every year the house seemed to get a little smaller around her.

"You could take a course," Demeter said over breakfast, in the second week of November. "Horticultural management. You'd be brilliant at it. And then when I retire..."

"Mum. You are never going to retire."

"When I *semi*-retire."

Persephone took her coffee to the window and looked out at the bare brown fields. Somewhere out there, she thought, in whatever life he had for the other eleven months of the year, the man in the black coat was reading a book.

She had looked at the receipt so many times by now that she knew the handwriting better than her own. But it was only that evening, turning it over once more under the kitchen lamp, that she noticed the faint purple stamp on the back of the paper, half hidden by the fold. It was the kind of stamp a shop puts on its paper bags, or on the slips it tucks inside the books it sells.

ASPHODEL BOOKS, it said. *Secondhand & Antiquarian. Lower Ground Floor, 7 Styx Lane.* And underneath, smaller: *Open October to March.*

***

Styx Lane turned out to be an alley behind the cathedral that she had walked past a hundred times without noticing. Number seven was a black door with steps going down. There was a light on at the bottom.

She stood at the top of the steps for a long time. It was very cold. Her breath went up in clouds.

*This is a terrible idea,* she thought. *This is the bit in the story right before everything goes wrong.*

Then she went down anyway, and pushed open the door, and the warm smell of old paper and woodsmoke came out to meet her. The shop was deep and low and lined with books from floor to ceiling, lit by lamps with green glass shades, and right at the very back, behind a desk piled high with ledgers, a tall man in a black cardigan was frowning at a crossword.

He looked up.

For a long moment neither of them said anything at all.

"Hi," said Persephone, and held up the receipt. "You left this in my café."`,
      },
    ],
  },
  {
    creator: 'persephones_pantry',
    title: 'Roses, Any Colour',
    summary:
      'Alice is twenty-three the next time she falls down the rabbit hole. The Queen of Hearts has taken up gardening, and she is very bad at it.',
    notes: 'For everyone who grew up and still checks the backs of wardrobes and the bottoms of hedges.',
    rating: 'General Audiences',
    warnings: ['No Archive Warnings Apply'],
    categories: ['Gen'],
    fandoms: [ALICE],
    relationships: ['Alice & Queen of Hearts'],
    characters: ['Alice (Alice in Wonderland)', 'Queen of Hearts', 'Cheshire Cat'],
    freeforms: ['Post-Canon', 'Adult Alice', 'Hurt/Comfort', 'Gardening', 'Fluff'],
    language: 'en',
    complete: true,
    expectedChapters: 1,
    daysAgo: 60,
    chapters: [
      {
        body: `Alice was twenty-three the second time she fell down the rabbit hole, and she noticed with some indignation that it was not nearly so long a fall as she remembered.

"You've grown," said the Cheshire Cat, appearing in pieces on a branch above the little door: first the grin, then the ears, then a vague suggestion of stripes. "Everybody does, in the end. It's very careless of them."

"I didn't do it on purpose."

"Nobody ever does," said the Cat. "Which is exactly what I mean by careless." He nodded toward the garden beyond the little door and began, in no particular hurry, to disappear again. "You'll want to see the Queen. She's taken up a hobby."

Alice had braced herself for many things (croquet, executions, trials with no evidence) but she had not braced herself for this.

The Queen of Hearts was on her knees in a rose-bed, in a crown and a pair of enormous gardening gloves, with earth up to her elbows and a trowel in one fist. Around her stood rows and rows of rose bushes, and every single one of them was white. There was not a paint pot in sight.

"*You*," said the Queen, looking up. Alice braced herself again. But the Queen only scowled and sat back on her heels. "Well, don't just stand there. Hand me that watering can."
"Thirteen years," said the Queen, watering furiously. "Thirteen years I've had those gardeners painting them. Every morning. Red, red, red. And every night the rain washes it out, and every morning they're white again, and every morning I want to..." She stopped. She looked, for one startling instant, not like a queen at all but like someone very tired. "Well. I'm told it isn't *done* any more, the business with the heads. Not since you left. People started asking questions. So I thought: I'll grow them red myself. Properly. From the root." She glared at the bush in front of her. "They won't."

Alice knelt down beside her in the dirt. She had spent the last three summers helping in her aunt's garden, and she knew a little (not much, but a little) about roses.

"You can't make a white rose red," she said gently. "Not from the root. But you could plant a red one."

The Queen stared at her.

"Next to it," Alice went on. "Then you'd have both. Red and white, all along the walk. I think it would look rather splendid, actually."

For a long time the Queen said nothing. Alice had a sudden fear that she had gone too far, and that the old word was about to come roaring out after all.

"*Both*," said the Queen at last, slowly, as though she had never heard the word before and was not at all sure she approved of it.

* * *

They planted the first red rose that afternoon. By the end of the week there were forty of them, and the gardeners (the Two, the Five and the Seven, thoroughly unsettled at having nothing to paint) had been set to digging the beds instead.

Alice woke, in the end, as she always did: on the riverbank, with the light going long and her sister calling her name. There was earth under her fingernails.

She never went back. But sometimes, in June, when she passed a garden where red roses and white grew side by side along a wall, she would stop; and she could almost have sworn she heard someone, very far away and very grumpily, saying that it looked rather splendid, actually.`,
      },
    ],
  },
];
